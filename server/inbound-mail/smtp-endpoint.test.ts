import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { approvalComments } from "../../models/approvals.ts";
import { mailInboxes } from "../../models/mail-inbound.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { inboundReplyTargets } from "../inbound-replies.ts";
import { replyAddressFor } from "../mail/reply-address.ts";
import { freePort, startTestApp, type TestApp, testEnv } from "../testing/harness.ts";
import { createOrganization, createUser, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { apiAs, jsonOf, userStep } from "../work/approvals/test-kit.ts";
import { type SmtpEndpoint, startSmtpEndpoint } from "./smtp-endpoint.ts";
import { inboundDepsOf, inboundMessage, rawMessage, waitFor } from "./test-kit.ts";

const FIXTURES = join(import.meta.dir, "..", "..", "test-fixtures", "mail");
const MAX_BYTES = 64 * 1024;

let box: TestApp;
let plain: SmtpEndpoint;
let withTls: SmtpEndpoint;
let orgId = "";
let leeId = "";
let requestId = "";

function deliver(port: number, envelope: { from: string; to: string[] }, raw: string, requireTLS = false) {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port,
    secure: false,
    requireTLS,
    ignoreTLS: !requireTLS,
    // The fixture's certificate is self-signed: what is checked here is that STARTTLS happens.
    tls: { rejectUnauthorized: false },
  });
  return transport.sendMail({ envelope, raw });
}

function failureOf(promise: Promise<unknown>): Promise<{ responseCode?: number; rejected?: string[] }> {
  return promise.then(
    () => {
      throw new Error("the endpoint accepted what it should refuse");
    },
    (error: { responseCode?: number; rejected?: string[] }) => error,
  );
}

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  orgId = acme.orgId;
  const globex = await createOrganization(box, "Globex");
  leeId = await createUser(box, { orgId, role: "team_lead", name: "Lee", email: "lee@acme.test" });
  for (const [org, address, enabled] of [
    [orgId, "inbox@acme.test", true],
    [globex.orgId, "paused@globex.test", false],
  ] as const) {
    box.deps.db
      .insert(mailInboxes)
      .values({
        orgId: org,
        address,
        host: "imap.example.test",
        port: 993,
        security: "tls",
        username: address,
        enabled,
      })
      .run();
  }
  const admin = apiAs(box, acme.adminId, orgId);
  const pipeline = await jsonOf<{ id: string }>(
    await admin("POST", "/api/v1/approval-pipelines", { name: "Lee", steps: [userStep("Lead", leeId)] }),
    201,
  );
  requestId = (
    await jsonOf<{ id: string }>(
      await admin("POST", "/api/v1/approvals", { subjectType: "other", title: "Offsite", pipelineId: pipeline.id }),
      201,
    )
  ).id;
  const deps = inboundDepsOf(box, inboundReplyTargets);
  plain = await startSmtpEndpoint(deps, { port: 0, host: "127.0.0.1", maxBytes: MAX_BYTES, tls: null });
  withTls = await startSmtpEndpoint(deps, {
    port: 0,
    host: "127.0.0.1",
    maxBytes: MAX_BYTES,
    tls: { certPath: join(FIXTURES, "localhost-cert.pem"), keyPath: join(FIXTURES, "localhost-key.pem") },
  });
});
afterAll(async () => {
  await plain?.stop();
  await withTls?.stop();
  box.close();
});

describe("the SMTP receiving endpoint", () => {
  test("takes in mail for an organisation's inbound address as a document", async () => {
    const raw = rawMessage({
      from: "supplier@example.net",
      to: "inbox@acme.test",
      subject: "Invoice 77",
      messageId: "smtp-doc@example.net",
      text: "Please find our invoice.",
    });
    const info = await deliver(plain.port, { from: "supplier@example.net", to: ["inbox@acme.test"] }, raw);
    expect(info.accepted).toEqual(["inbox@acme.test"]);
    const record = await waitFor("the message", () => inboundMessage(box, orgId, "<smtp-doc@example.net>"));
    expect(record.outcome).toBe("document");
    expect(record.documentId).toStartWith("doc_");
  });

  test("a reply to an approval e-mail's address becomes the replier's comment on the request", async () => {
    const to = replyAddressFor(box.deps, { orgId, userId: leeId, subject: { kind: "approval", id: requestId } }) ?? "";
    const raw = rawMessage({
      from: "lee@acme.test",
      to,
      subject: "Re: Offsite",
      messageId: "smtp-reply@acme.test",
      text: "Fine by me, book it.\n\n> Offsite waits on your approval",
    });
    await deliver(plain.port, { from: "lee@acme.test", to: [to] }, raw);
    const comments = box.deps.db.select().from(approvalComments).where(eq(approvalComments.requestId, requestId)).all();
    expect(comments).toMatchObject([{ authorId: leeId, body: "Fine by me, book it." }]);
  });

  test("refuses any other recipient at RCPT TO with 550, a paused mailbox's too: it relays nothing", async () => {
    const raw = rawMessage({
      from: "spammer@example.net",
      to: "victim@example.org",
      subject: "Relay?",
      messageId: "relay@example.net",
      text: "Relay me.",
    });
    for (const to of ["victim@example.org", "paused@globex.test", "other@acme.test"]) {
      const error = await failureOf(deliver(plain.port, { from: "spammer@example.net", to: [to] }, raw));
      expect([to, error.responseCode]).toEqual([to, 550]);
    }
    expect(inboundMessage(box, orgId, "<relay@example.net>")).toBeUndefined();
  });

  test("refuses a message over the size limit with 552 and stores nothing of it", async () => {
    const raw = rawMessage({
      from: "big@example.net",
      to: "inbox@acme.test",
      subject: "Huge",
      messageId: "huge@example.net",
      text: "x".repeat(MAX_BYTES + 1024),
    });
    const error = await failureOf(deliver(plain.port, { from: "big@example.net", to: ["inbox@acme.test"] }, raw));
    expect(error.responseCode).toBe(552);
    expect(inboundMessage(box, orgId, "<huge@example.net>")).toBeUndefined();
  });

  test("offers STARTTLS when a certificate is configured, and not otherwise", async () => {
    const raw = rawMessage({
      from: "tls@example.net",
      to: "inbox@acme.test",
      subject: "Over TLS",
      messageId: "tls@example.net",
      text: "Encrypted on the way in.",
    });
    const refused = await failureOf(
      deliver(plain.port, { from: "tls@example.net", to: ["inbox@acme.test"] }, raw, true),
    );
    expect(String(refused)).toContain("STARTTLS");
    await deliver(withTls.port, { from: "tls@example.net", to: ["inbox@acme.test"] }, raw, true);
    expect(inboundMessage(box, orgId, "<tls@example.net>")?.outcome).toBe("document");
  });
});

describe("its settings", () => {
  const env = (extra: Record<string, string>) => testEnv(box.dataDir, extra);

  test("it is off unless OPSBOX_SMTP_RECEIVE_PORT is set", () => {
    expect(loadConfig(env({})).smtpReceive).toBeNull();
    expect(loadConfig(env({ OPSBOX_SMTP_RECEIVE_PORT: "2525" })).smtpReceive).toMatchObject({
      port: 2525,
      host: "0.0.0.0",
      maxBytes: 25 * 1024 * 1024,
      tls: null,
    });
  });

  test("a certificate without its key stops the start", () => {
    expect(() =>
      loadConfig(env({ OPSBOX_SMTP_RECEIVE_PORT: "2525", OPSBOX_SMTP_RECEIVE_TLS_CERT: "/etc/ssl/mx.pem" })),
    ).toThrow(ConfigError);
  });
});

/** The first line a server at `port` on loopback says, or the connection's error code. */
function greeting(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("data", (data) => {
      resolve(data.toString("utf8").split("\r\n")[0] ?? "");
      socket.destroy();
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
}

test("the server starts the endpoint with its settings and stops it when it stops", async () => {
  const port = freePort();
  const running = await startTestApp({
    env: { OPSBOX_SMTP_RECEIVE_PORT: String(port), OPSBOX_SMTP_RECEIVE_HOST: "127.0.0.1" },
  });
  try {
    expect(await greeting(port)).toStartWith("220 ");
  } finally {
    await running.close();
  }
  expect(await greeting(port)).toBe("ECONNREFUSED");
});
