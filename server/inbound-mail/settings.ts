import { eq } from "drizzle-orm";
import { type InboxState, type MailInbox, mailInboxes } from "../../models/mail-inbound.ts";
import { recordAudit } from "../audit/service.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import type { Queryable } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { findGrant, grantKeyFor, grantViewOf } from "../mail/oauth/grants.ts";
import { decryptSecret, encryptSecret, type Keyring } from "../tools/secrets.ts";
import type { InboundMailInput, InboundMailJson } from "./schemas.ts";
import { announceInboxChange } from "./wake.ts";

const secretContext = (orgId: string) => `mail_inboxes.password:${orgId}`;

export function findInbox(db: Queryable, orgId: string): MailInbox | null {
  return db.select().from(mailInboxes).where(eq(mailInboxes.orgId, orgId)).get() ?? null;
}

/** The mailbox's password, decrypted in memory for the connection; null when none is stored. */
export function inboxPassword(keyring: Keyring, inbox: MailInbox): string | null {
  return inbox.passwordEncrypted ? decryptSecret(keyring, inbox.passwordEncrypted, secretContext(inbox.orgId)) : null;
}

/** The mailbox as the API and the settings page show it (never the password or a token). */
export function inboundMailJsonOf(db: Queryable, orgId: string, inbox: MailInbox | null): InboundMailJson {
  return {
    oauth: grantViewOf(findGrant(db, grantKeyFor("inbound", orgId))),
    configured: inbox !== null,
    enabled: inbox?.enabled ?? false,
    address: inbox?.address ?? null,
    host: inbox?.host ?? null,
    port: inbox?.port ?? null,
    security: inbox?.security ?? "tls",
    authMethod: inbox?.authMethod ?? "password",
    username: inbox?.username ?? null,
    passwordSet: Boolean(inbox?.passwordEncrypted),
    folder: inbox?.folder ?? "INBOX",
    deleteAfterImport: inbox?.deleteAfterImport ?? false,
    status: {
      state: inbox ? (inbox.enabled ? inbox.state : "off") : "off",
      lastError: inbox?.lastError ?? null,
      lastErrorAt: inbox?.lastErrorAt?.toISOString() ?? null,
      lastSyncAt: inbox?.lastSyncAt?.toISOString() ?? null,
    },
  };
}

/**
 * Saves the organisation's mailbox and has its worker connect again. The password is kept when
 * left out, except when the server or the user name changes: the stored password is never sent
 * anywhere it was not typed for.
 */
export function saveInbox(ctx: ServiceContext, input: InboundMailInput, now = new Date()): MailInbox {
  const saved = ctx.db.transaction((tx) => {
    const current = findInbox(tx, ctx.orgId);
    const sameServer = current !== null && current.host === input.host && current.username === input.username;
    const passwordEncrypted = input.password
      ? encryptSecret(ctx.keyring, input.password, secretContext(ctx.orgId))
      : sameServer
        ? current.passwordEncrypted
        : null;
    if (input.authMethod === "oauth" && !findGrant(tx, grantKeyFor("inbound", ctx.orgId))) {
      const message = "Connect a Google or Microsoft mailbox first (below), or sign in with a password.";
      throw new AppError("validation_failed", "The request is not valid.", [{ path: "authMethod", message }]);
    }
    if (!passwordEncrypted && input.authMethod === "password") {
      const message = current ? "Enter the password again for a new server or user name." : "Enter the password.";
      throw new AppError("validation_failed", "The request is not valid.", [{ path: "password", message }]);
    }
    const { password: _password, ...fields } = input;
    const values = {
      ...fields,
      passwordEncrypted,
      state: (input.enabled ? "connecting" : "off") as InboxState,
      lastError: null,
      lastErrorAt: null,
      updatedAt: now,
    };
    const row = tx
      .insert(mailInboxes)
      .values({ orgId: ctx.orgId, ...values })
      .onConflictDoUpdate({ target: mailInboxes.orgId, set: values })
      .returning()
      .get();
    recordAudit(tx, {
      orgId: ctx.orgId,
      action: "settings.inbound_mail_changed",
      actorUserId: ctx.userId,
      actorApiKeyId: ctx.apiKeyId,
      targetType: "organization",
      targetId: ctx.orgId,
      details: { ...fields, passwordChanged: Boolean(input.password) },
      meta: ctx.meta,
    });
    return row;
  });
  announceInboxChange(ctx.orgId);
  return saved;
}

/** What the worker reports about a mailbox: its state, and the error that stopped it (null clears it). */
export function setInboxState(
  db: Queryable,
  orgId: string,
  state: InboxState,
  change: { error?: string | null; synced?: boolean } = {},
  now = new Date(),
): void {
  db.update(mailInboxes)
    .set({
      state,
      ...(change.error !== undefined ? { lastError: change.error, lastErrorAt: change.error ? now : null } : {}),
      ...(change.synced ? { lastSyncAt: now } : {}),
    })
    .where(eq(mailInboxes.orgId, orgId))
    .run();
}

/** Every mailbox that is switched on, for the workers to start. */
export function listEnabledInboxes(db: Queryable): MailInbox[] {
  return db.select().from(mailInboxes).where(eq(mailInboxes.enabled, true)).all();
}
