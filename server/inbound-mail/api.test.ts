import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { mailInboxes } from "../../models/mail-inbound.ts";
import { apiAs, type Call, postForm } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";

let box: TestApp;
let acme: TestBox;
let admin: Call;
let adminCookie: string;
let globexCookie: string;

// Switched off: these tests are about the settings, not the connection (imap-dovecot.test.ts).
const settings = {
  enabled: false,
  address: "inbox@acme.test",
  host: "imap.acme.test",
  port: 993,
  security: "tls",
  username: "inbox@acme.test",
  password: "mailbox-secret-1",
};

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
  admin = apiAs(box, adminCookie);
  const globex = await createOrganization(box, "Globex");
  globexCookie = sessionCookie(box, globex.adminId, globex.orgId);
});
afterAll(() => box.close());

test("GET before anything is set says so", async () => {
  const response = await admin("GET", "/api/v1/mail/inbound");
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ configured: false, passwordSet: false, status: { state: "off" } });
});

test("PUT stores the password encrypted and never answers it; it is audited without it", async () => {
  const response = await admin("PUT", "/api/v1/mail/inbound", settings);
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(text).not.toContain("mailbox-secret-1");
  expect(JSON.parse(text)).toMatchObject({ configured: true, passwordSet: true, host: "imap.acme.test", port: 993 });
  const row = box.deps.db.select().from(mailInboxes).where(eq(mailInboxes.orgId, acme.orgId)).get();
  expect(row?.passwordEncrypted).toMatch(/^v1\./);
  expect(JSON.stringify(row)).not.toContain("mailbox-secret-1");
  const audit = box.deps.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.action, "settings.inbound_mail_changed"))
    .all();
  expect(audit).toHaveLength(1);
  expect(JSON.stringify(audit)).not.toContain("mailbox-secret-1");
});

test("the password may be left out for the same server; a new server or user name needs it again (422)", async () => {
  const { password: _password, ...withoutPassword } = settings;
  expect((await admin("PUT", "/api/v1/mail/inbound", { ...withoutPassword, folder: "Receipts" })).status).toBe(200);
  const moved = await admin("PUT", "/api/v1/mail/inbound", { ...withoutPassword, host: "imap.elsewhere.test" });
  expect(moved.status).toBe(422);
  expect(JSON.stringify(await moved.json())).toContain('"path":"password"');
});

test("no TLS is refused for a host on the network; a bad address or port is a 422 on that field", async () => {
  const plain = await admin("PUT", "/api/v1/mail/inbound", { ...settings, security: "none" });
  expect(plain.status).toBe(422);
  expect(JSON.stringify(await plain.json())).toContain('"path":"security"');
  const wrong = await admin("PUT", "/api/v1/mail/inbound", { ...settings, address: "nope", port: 0 });
  const body = JSON.stringify(await wrong.json());
  expect(body).toContain('"path":"address"');
  expect(body).toContain('"path":"port"');
  expect(
    (await admin("PUT", "/api/v1/mail/inbound", { ...settings, security: "none", host: "127.0.0.1" })).status,
  ).toBe(200);
});

test("a manager or a member gets 403 on GET and PUT", async () => {
  for (const role of ["manager", "member"]) {
    const call = apiAs(box, sessionCookie(box, await createUser(box, { orgId: acme.orgId, role }), acme.orgId));
    expect((await call("GET", "/api/v1/mail/inbound")).status).toBe(403);
    expect((await call("PUT", "/api/v1/mail/inbound", settings)).status).toBe(403);
  }
});

test("another organisation's admin sees and changes only their own mailbox", async () => {
  const globex = apiAs(box, globexCookie);
  expect(await (await globex("GET", "/api/v1/mail/inbound")).json()).toMatchObject({ configured: false });
  await globex("PUT", "/api/v1/mail/inbound", {
    ...settings,
    address: "office@globex.test",
    host: "imap.globex.test",
    username: "office@globex.test",
  });
  expect(await (await admin("GET", "/api/v1/mail/inbound")).json()).toMatchObject({ address: "inbox@acme.test" });
  const page = await box.fetch("/settings/inbound-mail", { headers: { Cookie: globexCookie } });
  const html = await page.text();
  expect(html).toContain("imap.globex.test");
  expect(html).not.toContain("inbox@acme.test");
});

test("the settings page shows the form; a refused form comes back with field errors (422), never the password", async () => {
  const page = await box.fetch("/settings/inbound-mail", { headers: { Cookie: adminCookie } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("Inbound mail");
  expect(html).not.toContain("mailbox-secret");
  const refused = await postForm(box, adminCookie, "/settings/inbound-mail", {
    address: "not an address",
    host: "imap.acme.test",
    port: "99999",
    security: "tls",
    username: "inbox@acme.test",
    password: "typed-secret-2",
    folder: "INBOX",
  });
  expect(refused.status).toBe(422);
  const form = await refused.text();
  expect(form).toContain("Enter the mailbox&#39;s e-mail address");
  expect(form).toContain("Enter a port from 1 to 65535.");
  expect(form).not.toContain("typed-secret-2");
  const saved = await postForm(box, adminCookie, "/settings/inbound-mail", {
    address: "inbox@acme.test",
    host: "imap.acme.test",
    port: "993",
    security: "tls",
    username: "inbox@acme.test",
    password: "mailbox-secret-3",
    folder: "INBOX",
  });
  expect(saved.status).toBe(200);
  expect(await saved.text()).toContain("Saved.");
});

test("a member may not open or post the settings page (403)", async () => {
  const cookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "member" }), acme.orgId);
  expect((await box.fetch("/settings/inbound-mail", { headers: { Cookie: cookie } })).status).toBe(403);
  expect((await postForm(box, cookie, "/settings/inbound-mail", { address: "x@y.test" })).status).toBe(403);
});
