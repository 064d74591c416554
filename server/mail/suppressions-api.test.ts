import { afterAll, beforeAll, expect, test } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { mailSuppressions } from "../../models/mail-suppressions.ts";
import type { TestApp } from "../testing/harness.ts";
import {
  consoleHeaders,
  createOrganization,
  createUser,
  sessionCookie,
  setUpBox,
  type TestBox,
} from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { suppressAddress } from "./suppression.ts";

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
});
afterAll(() => box.close());

const as =
  (userId: string, orgId: string) =>
  (path: string, init: { method?: string; form?: Record<string, string> } = {}) =>
    box.fetch(path, {
      method: init.method ?? "GET",
      headers: {
        ...consoleHeaders(box, sessionCookie(box, userId, orgId)),
        ...(init.form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
const admin = () => as(acme.adminId, acme.orgId);
const globexAdmin = () => as(globex.adminId, globex.orgId);

const entryId = (address: string) =>
  box.deps.db
    .select({ id: mailSuppressions.id })
    .from(mailSuppressions)
    .where(eq(mailSuppressions.address, address))
    .get()?.id ?? "sup_missing";

beforeAll(() => {
  const db = box.deps.db;
  suppressAddress(db, { orgId: acme.orgId, address: "Ada@Example.com", reason: "unsubscribed", source: "one_click" });
  suppressAddress(db, {
    orgId: acme.orgId,
    address: "gone@example.com",
    reason: "hard_bounce",
    source: "resend",
    detail: "550 5.1.1 no such user",
  });
  suppressAddress(db, {
    orgId: globex.orgId,
    address: "globex-only@example.com",
    reason: "complaint",
    source: "sendgrid",
  });
  suppressAddress(db, { orgId: null, address: "reset@example.com", reason: "hard_bounce", source: "delivery_report" });
});

test("an admin lists the organisation's entries (addresses normalised); the instance admin also the box's own", async () => {
  const response = await admin()("/api/v1/mail/suppressions");
  expect(response.status).toBe(200);
  const { data, nextCursor } = await response.json();
  expect(nextCursor).toBeNull();
  expect(data.map((entry: { address: string; scope: string }) => [entry.address, entry.scope]).sort()).toEqual([
    ["ada@example.com", "organization"],
    ["gone@example.com", "organization"],
    ["reset@example.com", "box"],
  ]);
  expect(data.find((entry: { address: string }) => entry.address === "gone@example.com")).toMatchObject({
    reason: "hard_bounce",
    source: "resend",
    detail: "550 5.1.1 no such user",
  });
  const one = await (await admin()("/api/v1/mail/suppressions?address=ADA@example.com")).json();
  expect(one.data).toHaveLength(1);
  const paged = await (await admin()("/api/v1/mail/suppressions?limit=2")).json();
  expect(paged.data).toHaveLength(2);
  const rest = await (await admin()(`/api/v1/mail/suppressions?limit=2&cursor=${paged.nextCursor}`)).json();
  expect(rest.data).toHaveLength(1);
});

test("another organisation's admin sees only theirs; removing another organisation's or the box's entry is 404", async () => {
  const listed = await (await globexAdmin()("/api/v1/mail/suppressions")).json();
  expect(listed.data.map((entry: { address: string }) => entry.address)).toEqual(["globex-only@example.com"]);
  for (const address of ["gone@example.com", "reset@example.com"]) {
    const id = entryId(address);
    expect((await globexAdmin()(`/api/v1/mail/suppressions/${id}`, { method: "DELETE" })).status).toBe(404);
    expect(
      (await globexAdmin()(`/settings/outbox/suppressions/${id}/remove`, { method: "POST", form: {} })).status,
    ).toBe(404);
  }
  expect(box.deps.db.select().from(mailSuppressions).all()).toHaveLength(4);
});

test("members, managers and viewers may not read or remove entries (403)", async () => {
  for (const role of ["manager", "member", "viewer"] as const) {
    const person = as(await createUser(box, { orgId: acme.orgId, role }), acme.orgId);
    expect((await person("/api/v1/mail/suppressions")).status).toBe(403);
    const id = entryId("gone@example.com");
    expect((await person(`/api/v1/mail/suppressions/${id}`, { method: "DELETE" })).status).toBe(403);
    expect((await person("/settings/outbox/suppressions")).status).toBe(403);
  }
});

test("an admin removes an entry through the API (204, audited) and through Settings → Outbox → Suppression list", async () => {
  const id = entryId("gone@example.com");
  expect((await admin()(`/api/v1/mail/suppressions/${id}`, { method: "DELETE" })).status).toBe(204);
  expect((await admin()(`/api/v1/mail/suppressions/${id}`, { method: "DELETE" })).status).toBe(404);
  const audited = box.deps.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "mail.suppression_removed"), eq(auditEvents.targetId, id)))
    .get();
  expect(audited?.details).toEqual({ address: "gone@example.com", reason: "hard_bounce", boxWide: false });

  const page = await (await admin()("/settings/outbox/suppressions")).text();
  expect(page).toContain("ada@example.com");
  expect(page).toContain("the box&#39;s own mail");
  expect(page).not.toContain("globex-only@example.com");
  const ada = entryId("ada@example.com");
  expect(page).toContain(`/settings/outbox/suppressions/${ada}/remove`);
  const removed = await admin()(`/settings/outbox/suppressions/${ada}/remove`, { method: "POST", form: {} });
  expect([200, 204, 303]).toContain(removed.status);
  expect(box.deps.db.select().from(mailSuppressions).where(eq(mailSuppressions.id, ada)).get()).toBeUndefined();
});

test("Settings → E-mail shows the webhook URLs; the instance admin saves the keys, a wrong key is drawn again with its error", async () => {
  const page = await (await admin()("/settings/email")).text();
  expect(page).toContain(`${box.deps.config.baseUrl}/api/v1/mail/webhooks/resend`);
  expect(page).toContain(`${box.deps.config.baseUrl}/api/v1/mail/webhooks/sendgrid`);
  const wrong = await admin()("/settings/email/webhooks", {
    method: "POST",
    form: { resendSecret: "not-a-secret", sendgridPublicKey: "nope" },
  });
  expect(wrong.status).toBe(422);
  const drawn = await wrong.text();
  expect(drawn).toContain("starts with whsec_");
  expect(drawn).toContain('value="nope"');
  expect(drawn).not.toContain("not-a-secret");
  const key = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    .publicKey.export({ format: "der", type: "spki" })
    .toString("base64");
  const saved = await admin()("/settings/email/webhooks", {
    method: "POST",
    form: { resendSecret: `whsec_${Buffer.alloc(24, 1).toString("base64")}`, sendgridPublicKey: key },
  });
  expect(saved.status).toBeLessThan(400);
  const after = await (await admin()("/api/v1/mail/webhooks")).json();
  expect(after).toMatchObject({ resend: { secretSet: true }, sendgrid: { publicKey: key } });
  expect((await globexAdmin()("/settings/email/webhooks", { method: "POST", form: {} })).status).toBe(403);
});
