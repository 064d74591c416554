import type { ImapFlow } from "imapflow";
import type { MailInbox } from "../../models/mail-inbound.ts";
import { GrantNeedsReconnect } from "../mail/oauth/tokens.ts";
import { imapAuthFor } from "./imap-auth.ts";
import { describeImapError, isAuthenticationFailure } from "./imap-errors.ts";
import { connectionTarget } from "./imap-target.ts";
import { type ImportResult, type InboundDeps, importInboundMessage, recordOversized } from "./import.ts";
import { findInbox, setInboxState } from "./settings.ts";

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 5 * 60_000;
// A refused password is not retried every few seconds: servers lock accounts that keep failing.
const AUTH_RETRY_MS = 15 * 60_000;

/**
 * Keeps one organisation's mailbox read: connects, takes in every unseen message, then waits in
 * IDLE and reads again whenever the server announces a new one. A dropped connection is opened
 * again at once, a failing one with back-off (1 s doubling to 5 min; 15 min after a refused
 * password). The state and the last error go to the mailbox's row for Settings and /readyz.
 */
export class MailboxWorker {
  #stopped = false;
  /** The server refused the last OAuth access token: the next session refreshes it first. */
  #refreshToken = false;
  #client: ImapFlow | null = null;
  #wake: () => void = () => {};
  #syncing: Promise<void> = Promise.resolve();
  readonly #running: Promise<void>;

  constructor(
    private readonly deps: InboundDeps,
    readonly orgId: string,
  ) {
    this.#running = this.#loop();
  }

  /** Closes the connection and ends the loop (a message being taken in is finished first). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake();
    this.#client?.close();
    await this.#running;
  }

  async #loop(): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      const inbox = findInbox(this.deps.db, this.orgId);
      if (!inbox?.enabled) return;
      let retryMs = FIRST_RETRY_MS;
      try {
        await this.#session(inbox);
        failures = 0;
      } catch (error) {
        if (this.#stopped) return;
        failures += 1;
        const authFailed = isAuthenticationFailure(error) || error instanceof GrantNeedsReconnect;
        this.#refreshToken = isAuthenticationFailure(error) && inbox.authMethod === "oauth";
        retryMs = authFailed ? AUTH_RETRY_MS : Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS);
        const message =
          error instanceof GrantNeedsReconnect
            ? `Connect the mailbox again (Settings → Inbound mail): ${error.message}`
            : describeImapError(error, inbox);
        setInboxState(this.deps.db, this.orgId, "failed", { error: message });
        this.deps.log.warn({ orgId: this.orgId, retryInMs: retryMs, reason: message }, "inbound mailbox failed");
      }
      await this.#sleep(retryMs);
    }
  }

  /** One connection, from connect to close; throws what stopped it from starting or reading. */
  async #session(inbox: MailInbox): Promise<void> {
    setInboxState(this.deps.db, this.orgId, "connecting");
    const target = await connectionTarget(this.deps.db, inbox);
    const auth = await imapAuthFor(this.deps, inbox, { force: this.#refreshToken });
    // imapflow on the first connection, not at start (about 20 MB resident a box without a mailbox never needs).
    const imap = await import("imapflow");
    const client = new imap.ImapFlow({
      host: target.address,
      ...(target.servername ? { servername: target.servername } : {}),
      port: inbox.port,
      secure: inbox.security === "tls",
      ...(inbox.security === "starttls" ? { doSTARTTLS: true } : {}),
      auth,
      logger: false,
      // IDLE soon after each read, so that a new message is announced within seconds.
      autoIdleDelay: 1000,
      connectionTimeout: 30_000,
    });
    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    client.on("error", (error: Error) =>
      this.deps.log.warn({ orgId: this.orgId, reason: describeImapError(error, inbox) }, "inbound mailbox error"),
    );
    this.#client = client;
    if (this.#stopped) return;
    try {
      await client.connect();
      await client.mailboxOpen(inbox.folder);
    } catch (error) {
      client.close();
      throw error;
    }
    setInboxState(this.deps.db, this.orgId, "listening", { error: null });
    this.deps.log.info({ orgId: this.orgId }, "inbound mailbox connected");
    client.on("exists", () => this.#syncSoon(client, inbox));
    this.#syncSoon(client, inbox);
    await closed;
    await this.#syncing;
  }

  /** Reads the mailbox after the read in progress, never two at once. */
  #syncSoon(client: ImapFlow, inbox: MailInbox): void {
    this.#syncing = this.#syncing
      .then(() => this.#sync(client, inbox))
      .catch((error: unknown) => {
        if (this.#stopped) return;
        this.deps.log.warn(
          { orgId: this.orgId, reason: describeImapError(error, inbox) },
          "inbound mailbox read failed",
        );
        // The loop connects again: a fresh session reads everything still unseen.
        client.close();
      });
  }

  /** Takes in every unseen message, then marks it seen (or deletes it, when configured). */
  async #sync(client: ImapFlow, inbox: MailInbox): Promise<void> {
    if (this.#stopped || !client.usable) return;
    const uids = (await client.search({ seen: false }, { uid: true })) || [];
    if (uids.length === 0) return setInboxState(this.deps.db, this.orgId, "listening", { synced: true });
    const mailbox = { orgId: this.orgId, address: inbox.address };
    const messages = await client.fetchAll(
      uids,
      { uid: true, size: true, envelope: true, internalDate: true },
      { uid: true },
    );
    for (const message of messages) {
      if (this.#stopped) return;
      const receivedAt = message.internalDate ? new Date(message.internalDate) : new Date();
      let result: ImportResult;
      if ((message.size ?? 0) > this.deps.maxUploadBytes) {
        result = recordOversized(this.deps, mailbox, message.envelope ?? {}, receivedAt);
      } else {
        const full = await client.fetchOne(String(message.uid), { source: true }, { uid: true });
        if (full === false || !full.source) continue;
        result = await importInboundMessage(this.deps, mailbox, new Uint8Array(full.source), receivedAt);
      }
      this.deps.log.info({ orgId: this.orgId, outcome: result.outcome }, "inbound e-mail taken in");
      if (inbox.deleteAfterImport) await client.messageDelete(String(message.uid), { uid: true });
      else await client.messageFlagsAdd(String(message.uid), ["\\Seen"], { uid: true });
    }
    setInboxState(this.deps.db, this.orgId, "listening", { synced: true });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
