import { readFileSync } from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import { mailInboxes } from "../../models/mail-inbound.ts";
import type { SmtpReceiveConfig } from "../config.ts";
import type { Db } from "../db.ts";
import { type InboundDeps, importInboundMessage, type ReceivingMailbox } from "./import.ts";

export type SmtpEndpoint = { port: number; stop: () => Promise<void> };

/** How long a stop waits for a connection in the middle of a message before closing it. */
const CLOSE_TIMEOUT_MS = 3000;

type SmtpError = Error & { responseCode: number };

function smtpError(responseCode: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * The organisation's mailbox an envelope recipient is: an inbound mailbox that is switched on,
 * by its address or its `local+token@domain` reply form, of the organisation the operator
 * assigned that domain to (`domains`, from OPSBOX_SMTP_RECEIVE_DOMAINS). Null for anyone else:
 * an admin who types another organisation's address into their own mailbox receives nothing.
 */
export function mailboxOfRecipient(db: Db, domains: Map<string, string>, recipient: string): ReceivingMailbox | null {
  const match = /^([^@+]+)(?:\+[^@]*)?@([^@]+)$/.exec(recipient.trim().toLowerCase());
  if (!match?.[2]) return null;
  const owner = domains.get(match[2]);
  if (!owner) return null;
  const address = `${match[1]}@${match[2]}`;
  return (
    db
      .select({ orgId: mailInboxes.orgId, address: mailInboxes.address })
      .from(mailInboxes)
      .where(
        and(
          eq(mailInboxes.orgId, owner),
          eq(mailInboxes.enabled, true),
          sql`lower(${mailInboxes.address}) = ${address}`,
        ),
      )
      .get() ?? null
  );
}

/**
 * The optional SMTP receiving endpoint, for a box that owns an MX record: it accepts mail only for
 * the organisations' inbound mailbox addresses on the domains assigned to them (and their
 * `+token` reply addresses), refusing any
 * other recipient at RCPT TO with 550, so it never relays; refuses a message over `maxBytes` with
 * 552; offers STARTTLS when a certificate is configured and takes no AUTH (it is an MX, not a
 * submission server). Each accepted message goes through the same path as the IMAP mailbox's
 * (importInboundMessage: bounce reports, replies that become comments, documents), once per
 * organisation among its recipients; a failure there is a 451, so the sender tries again later.
 */
export async function startSmtpEndpoint(deps: InboundDeps, config: SmtpReceiveConfig): Promise<SmtpEndpoint> {
  const tls = config.tls ? { key: readFileSync(config.tls.keyPath), cert: readFileSync(config.tls.certPath) } : null;
  const server = new SMTPServer({
    secure: false,
    ...(tls ?? {}),
    disabledCommands: tls ? ["AUTH"] : ["AUTH", "STARTTLS"],
    authOptional: true,
    size: config.maxBytes,
    rejectOversized: true,
    closeTimeout: CLOSE_TIMEOUT_MS,
    logger: false,
    banner: "Opsbox",
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (mailboxOfRecipient(deps.db, config.domains, address.address)) return callback();
      callback(smtpError(550, "5.1.1 No such mailbox here; this server relays nothing"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        // Read to the end (the protocol needs it) but keep nothing of a message over the limit.
        if (bytes <= config.maxBytes) chunks.push(chunk);
      });
      stream.on("end", () => {
        if (stream.sizeExceeded) return callback(smtpError(552, "5.3.4 Message too big"));
        const raw = Buffer.concat(chunks);
        const mailboxes = new Map<string, ReceivingMailbox>();
        for (const rcpt of session.envelope.rcptTo) {
          const mailbox = mailboxOfRecipient(deps.db, config.domains, rcpt.address);
          if (mailbox) mailboxes.set(mailbox.orgId, mailbox);
        }
        const receivedAt = new Date();
        Promise.all(
          [...mailboxes.values()].map((mailbox) => importInboundMessage(deps, mailbox, raw, receivedAt)),
        ).then(
          () => callback(null, "Message accepted"),
          (error: unknown) => {
            deps.log.error({ err: error }, "SMTP endpoint could not take in a message");
            callback(smtpError(451, "4.3.0 Could not store the message, try again later"));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Errors of single connections (a client that vanished) are not the process's problem.
  server.on("error", (error: Error) => deps.log.warn({ err: error }, "SMTP endpoint connection error"));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  deps.log.info({ port, host: config.host, starttls: tls !== null }, "SMTP receiving endpoint listening");
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
