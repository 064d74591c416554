import { eq } from "drizzle-orm";
import { instanceSettings } from "../../models/instance.ts";
import type { Queryable } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { decryptSecret, encryptSecret, type Keyring } from "../tools/secrets.ts";
import { providerLabels } from "./oauth/endpoints.ts";
import { findGrant, grantViewOf, SENDING_GRANT } from "./oauth/grants.ts";
import type { TransportSettings } from "./providers/types.ts";
import {
  DEFAULT_GIVE_UP_HOURS,
  EMAIL_SETTINGS_KEY,
  type EmailSettingsInput,
  type EmailSettingsJson,
  type StoredEmailSettings,
  storedEmailSettings,
} from "./settings-schema.ts";

const PASSWORD_CONTEXT = "settings.email.password";
const API_KEY_CONTEXT = "settings.email.apiKey";

/** The stored settings and when they last changed; `log` when never set or no longer readable. */
export function readStoredMailSettings(db: Queryable): { settings: StoredEmailSettings; updatedAt: number } {
  const row = db.select().from(instanceSettings).where(eq(instanceSettings.key, EMAIL_SETTINGS_KEY)).get();
  const parsed = storedEmailSettings.safeParse(row?.value);
  return { settings: parsed.success ? parsed.data : { provider: "log" }, updatedAt: row?.updatedAt.getTime() ?? 0 };
}

/** Whether the box sends e-mail for real; until then messages stay in the draft log. */
export function mailDeliveryConfigured(db: Queryable): boolean {
  return readStoredMailSettings(db).settings.provider !== "log";
}

/** The settings without their secrets, as the API and Settings → E-mail show them. */
export function describeMailSettings(db: Queryable): EmailSettingsJson {
  const { settings } = readStoredMailSettings(db);
  const none = {
    preset: null,
    host: null,
    port: null,
    secure: null,
    verifyCertificate: null,
    username: null,
    from: null,
    fromName: null,
    secretSet: false,
    giveUpAfterHours: DEFAULT_GIVE_UP_HOURS,
    oauth: grantViewOf(findGrant(db, SENDING_GRANT)),
  };
  switch (settings.provider) {
    case "log":
      return { provider: "log", ...none };
    case "smtp": {
      const { passwordEncrypted, ...shown } = settings;
      return { ...none, ...shown, secretSet: Boolean(passwordEncrypted) };
    }
    case "gmail":
    case "outlook":
      return { ...none, ...settings, secretSet: none.oauth?.state === "connected" };
    default: {
      const { apiKeyEncrypted, ...shown } = settings;
      return { ...none, ...shown, secretSet: Boolean(apiKeyEncrypted) };
    }
  }
}

/**
 * The stored form of `input`, its secret sealed. A secret left empty keeps the stored one only
 * where it cannot reach anyone new: the same API provider, or the same SMTP host and user (a
 * password is never sent to a host it was not typed for). An API provider without a key is a 422.
 */
export function sealMailSettings(keyring: Keyring, input: EmailSettingsInput, previous?: StoredEmailSettings): unknown {
  switch (input.provider) {
    case "log":
      return input;
    case "smtp": {
      const { password, ...rest } = input;
      const kept =
        previous?.provider === "smtp" && previous.host === input.host && previous.username === input.username
          ? (previous.passwordEncrypted ?? null)
          : null;
      return { ...rest, passwordEncrypted: password ? encryptSecret(keyring, password, PASSWORD_CONTEXT) : kept };
    }
    case "gmail":
    case "outlook":
      return input;
    default: {
      const { apiKey, ...rest } = input;
      const kept = previous?.provider === input.provider ? (previous.apiKeyEncrypted ?? null) : null;
      const apiKeyEncrypted = apiKey ? encryptSecret(keyring, apiKey, API_KEY_CONTEXT) : kept;
      if (!apiKeyEncrypted)
        throw new AppError("validation_failed", "The request is not valid.", [
          { path: "apiKey", message: "Enter the API key." },
        ]);
      return { ...rest, apiKeyEncrypted };
    }
  }
}

/** Writes the settings (sealed) and answers them as shown. */
export function saveMailSettings(db: Queryable, keyring: Keyring, input: EmailSettingsInput, now = new Date()) {
  if (input.provider === "gmail" || input.provider === "outlook") requireSendingGrant(db, input.provider);
  const value = sealMailSettings(keyring, input, readStoredMailSettings(db).settings);
  db.insert(instanceSettings)
    .values({ key: EMAIL_SETTINGS_KEY, value, updatedAt: now })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: now } })
    .run();
  return describeMailSettings(db);
}

/** What a provider needs to send, secrets decrypted (in memory only); null while mail goes to the draft log. */
export function readTransportSettings(db: Queryable, keyring: Keyring): TransportSettings | null {
  const { settings } = readStoredMailSettings(db);
  switch (settings.provider) {
    case "log":
      return null;
    case "smtp": {
      const { passwordEncrypted, ...rest } = settings;
      const password = passwordEncrypted ? decryptSecret(keyring, passwordEncrypted, PASSWORD_CONTEXT) : "";
      return { ...rest, password };
    }
    case "gmail":
    case "outlook":
      return settings;
    default: {
      const { apiKeyEncrypted, ...rest } = settings;
      return { ...rest, apiKey: apiKeyEncrypted ? decryptSecret(keyring, apiKeyEncrypted, API_KEY_CONTEXT) : "" };
    }
  }
}

/** Gmail needs a Google account connected for sending, Outlook a Microsoft one (Settings → E-mail, "Connect"). */
function requireSendingGrant(db: Queryable, provider: "gmail" | "outlook"): void {
  const wanted = provider === "gmail" ? "google" : "microsoft";
  if (findGrant(db, SENDING_GRANT)?.provider === wanted) return;
  const message = `Connect a ${providerLabels[wanted]} account for sending first (below), then choose this provider.`;
  throw new AppError("validation_failed", "The request is not valid.", [{ path: "provider", message }]);
}
