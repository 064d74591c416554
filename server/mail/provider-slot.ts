import type { Db } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import type { Keyring } from "../tools/secrets.ts";
import { createProvider, type ProviderOverrides } from "./providers/provider.ts";
import type { MailProvider, TransportSettings } from "./providers/types.ts";
import { readStoredMailSettings, readTransportSettings } from "./settings.ts";

export type CurrentProvider = { settings: TransportSettings; provider: MailProvider };

/** After the stored settings could not be made into a provider, how long before trying again. */
const BROKEN_RETRY_MS = 30_000;

/**
 * The provider of the current settings, made again when they change; the old one is closed once
 * replaced. One for the whole box, so that every sending lane shares its pooled connections.
 */
export class ProviderSlot {
  #version = "";
  #held: CurrentProvider | null = null;
  #brokenUntil = 0;

  constructor(
    private readonly deps: { db: Db; keyring: Keyring; log: Logger },
    private readonly overrides: ProviderOverrides | undefined,
  ) {}

  /** Null while mail goes to the draft log. Throws when the stored settings cannot be read. */
  current(): CurrentProvider | null {
    const stored = readStoredMailSettings(this.deps.db);
    // The stored value too, not only its time: two saves within a millisecond are still two (sealed secrets differ each time).
    const version = `${stored.updatedAt} ${JSON.stringify(stored.settings)}`;
    if (version !== this.#version) {
      // When this throws, the old provider stays until the settings can be read.
      const settings = readTransportSettings(this.deps.db, this.deps.keyring);
      const previous = this.#held;
      this.#held = settings ? { settings, provider: createProvider(settings, this.deps, this.overrides) } : null;
      this.#version = version;
      // nodemailer closes a pooled connection only once its message is through.
      previous?.provider.close();
    }
    return this.#held;
  }

  /**
   * The provider to send with now; null while mail goes to the draft log, while an OAuth grant
   * waits to be connected again (messages wait, their attempts unspent), or for a while after
   * the settings could not be read (logged once each time).
   */
  ready(now = Date.now()): CurrentProvider | null {
    if (now < this.#brokenUntil) return null;
    try {
      const current = this.current();
      return current && !current.provider.paused?.() ? current : null;
    } catch (error) {
      this.#brokenUntil = now + BROKEN_RETRY_MS;
      this.deps.log.error({ err: error }, "the e-mail settings could not be read; mail waits in the outbox");
      return null;
    }
  }

  close(): void {
    this.#held?.provider.close();
    this.#held = null;
    this.#version = "";
  }
}
