import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

const FIXTURES = join(import.meta.dir, "..", "..", "test-fixtures", "mail");
/** The self-signed certificate of the test SMTP server (test-fixtures/mail/NOTICE.md). */
export const TEST_SMTP_CERT = readFileSync(join(FIXTURES, "localhost-cert.pem"), "utf8");
const TEST_SMTP_KEY = readFileSync(join(FIXTURES, "localhost-key.pem"), "utf8");

export const TEST_SMTP_USER = "mailer@box.test";
export const TEST_SMTP_PASSWORD = "smtp-secret-Pa55word";

/**
 * E-mail settings (as setup, the API and saveMailSettings take them) for a test server: STARTTLS
 * with the password on loopback, where the box may skip the certificate check (it cannot know the
 * fixture's certificate).
 */
export function loopbackSmtpSettings(server: { port: number }) {
  return {
    provider: "smtp" as const,
    preset: "custom" as const,
    host: "127.0.0.1",
    port: server.port,
    secure: false,
    verifyCertificate: false,
    username: TEST_SMTP_USER,
    password: TEST_SMTP_PASSWORD,
    from: "office@acme.test",
    fromName: "Acme Office",
    giveUpAfterHours: 24,
  };
}

/** A message the server accepted (answered 250 on a connection still open). */
export type ReceivedMail = {
  from: string;
  to: string[];
  raw: string;
  messageId: string | null;
  subject: string | null;
};

/** An answer the test wants for the n-th message (1-based) instead of accepting it: `451 try later`, … */
export type Refusal = { code: number; message: string };

export type TestSmtpOptions = {
  /** TLS from the first byte (port 465 style); by default plain with STARTTLS required for auth. */
  secure?: boolean;
  /** Refuse the n-th message's data with this answer; null accepts. */
  refuse?: (n: number) => Refusal | null;
  /** How long to wait before answering the data (the window of a send in flight). */
  answerDelayMs?: number;
  /** Called when a message's data has arrived, before the answer. */
  onData?: (n: number) => void;
  /** Never answer the n-th message's data: its sender waits (a crash there must not count it as sent). */
  holdAnswer?: (n: number) => boolean;
};

export type TestSmtpServer = {
  host: string;
  port: number;
  received: ReceivedMail[];
  /** Messages whose data arrived, accepted or not. */
  dataCount: () => number;
  /** Messages held unanswered right now (holdAnswer), their connections still open as far as the server knows. */
  heldCount: () => number;
  /** Resolves once `count` messages were accepted. */
  waitFor: (count: number, timeoutMs?: number) => Promise<void>;
  close: () => Promise<void>;
};

/**
 * A real SMTP server (`smtp-server`) on a loopback port with the fixture certificate, STARTTLS
 * and a user name and password. A message counts as received only once its 250 went out on a
 * connection that was still open, as a real server would have queued it.
 */
export async function startTestSmtpServer(options: TestSmtpOptions = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const closed = new Set<string>();
  let data = 0;
  let held = 0;
  let queueIds = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = new SMTPServer({
    secure: options.secure ?? false,
    key: TEST_SMTP_KEY,
    cert: TEST_SMTP_CERT,
    authMethods: ["PLAIN", "LOGIN"],
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === TEST_SMTP_USER && auth.password === TEST_SMTP_PASSWORD)
        callback(null, { user: auth.username });
      else callback(Object.assign(new Error("Authentication credentials invalid"), { responseCode: 535 }));
    },
    onClose(session: SMTPServerSession) {
      closed.add(session.id);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        data += 1;
        const n = data;
        options.onData?.(n);
        if (options.answerDelayMs) await Bun.sleep(options.answerDelayMs);
        if (options.holdAnswer?.(n)) {
          held += 1;
          while (options.holdAnswer(n) && !closed.has(session.id)) await Bun.sleep(20);
          held -= 1;
        }
        const refusal = options.refuse?.(n) ?? null;
        if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        if (closed.has(session.id)) return callback(new Error("connection closed"));
        const raw = Buffer.concat(chunks).toString("utf8");
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw,
          messageId: /^Message-ID:\s*(.+)$/im.exec(raw)?.[1]?.trim() ?? null,
          subject: /^Subject:\s*(.+)$/im.exec(raw)?.[1]?.trim() ?? null,
        });
        queueIds += 1;
        callback(null, `OK: queued as TEST${queueIds}`);
        for (const waiter of [...waiters])
          if (received.length >= waiter.count) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    host: "127.0.0.1",
    port,
    received,
    dataCount: () => data,
    heldCount: () => held,
    waitFor: (count, timeoutMs = 10_000) =>
      received.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`only ${received.length} of ${count} messages arrived`)),
              timeoutMs,
            );
            waiters.push({
              count,
              resolve: () => {
                clearTimeout(timer);
                resolve();
              },
            });
          }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
