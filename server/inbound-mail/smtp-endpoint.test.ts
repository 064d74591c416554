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
let globexId = "";
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
  globexId = globex.orgId;
  // Globex's and Initech's admins type Acme's addresses into their own mailboxes: the attack the domain list stops.
  const initech = await createOrganization(box, "Initech");
  const umbrella = await createOrganization(box, "Umbrella");
  for (const [org, address, enabled] of [
    [orgId, "inbox@acme.test", true],
    [globex.orgId, "inbox@acme.test", true],
    [initech.orgId, "billing@acme.test", true],
    [umbrella.orgId, "paused@umbrella.test", false],
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
  const domains = new Map([
    ["acme.test", orgId],
    ["globex.test", globex.orgId],
    ["umbrella.test", umbrella.orgId],
  ]);
  plain = await startSmtpEndpoint(deps, { port: 0, host: "127.0.0.1", maxBytes: MAX_BYTES, tls: null, domains });
  withTls = await startSmtpEndpoint(deps, {
    domains,
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
    // Globex typed the same address into its own mailbox: the domain is Acme's, so Globex gets nothing.
    expect(inboundMessage(box, globexId, "<smtp-doc@example.net>")).toBeUndefined();
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
    // billing@acme.test is only in Initech's mailbox, on a domain assigned to Acme.
    for (const to of ["victim@example.org", "paused@umbrella.test", "other@acme.test", "billing@acme.test"]) {
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
    const config = loadConfig(
      env({ OPSBOX_SMTP_RECEIVE_PORT: "2525", OPSBOX_SMTP_RECEIVE_DOMAINS: "Acme.test=org_a1, globex.test=org_b2" }),
    ).smtpReceive;
    expect(config).toMatchObject({ port: 2525, host: "0.0.0.0", maxBytes: 25 * 1024 * 1024, tls: null });
    expect([...(config?.domains ?? [])]).toEqual([
      ["acme.test", "org_a1"],
      ["globex.test", "org_b2"],
    ]);
  });

  test("a port without the domains it receives for, or a domain given twice, stops the start", () => {
    expect(() => loadConfig(env({ OPSBOX_SMTP_RECEIVE_PORT: "2525" }))).toThrow("OPSBOX_SMTP_RECEIVE_DOMAINS");
    expect(() =>
      loadConfig(env({ OPSBOX_SMTP_RECEIVE_PORT: "2525", OPSBOX_SMTP_RECEIVE_DOMAINS: "acme.test" })),
    ).toThrow("is not domain=organisation-id");
    expect(() =>
      loadConfig(
        env({ OPSBOX_SMTP_RECEIVE_PORT: "2525", OPSBOX_SMTP_RECEIVE_DOMAINS: "acme.test=org_a1,acme.test=org_b2" }),
      ),
    ).toThrow("acme.test is listed twice");
  });

  test("a certificate without its key stops the start", () => {
    expect(() =>
      loadConfig(
        env({
          OPSBOX_SMTP_RECEIVE_PORT: "2525",
          OPSBOX_SMTP_RECEIVE_DOMAINS: "acme.test=org_a1",
          OPSBOX_SMTP_RECEIVE_TLS_CERT: "/etc/ssl/mx.pem",
        }),
      ),
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
    env: {
      OPSBOX_SMTP_RECEIVE_PORT: String(port),
      OPSBOX_SMTP_RECEIVE_HOST: "127.0.0.1",
      OPSBOX_SMTP_RECEIVE_DOMAINS: "acme.test=org_a1",
    },
  });
  try {
    expect(await greeting(port)).toStartWith("220 ");
  } finally {
    await running.close();
  }
  expect(await greeting(port)).toBe("ECONNREFUSED");
});
