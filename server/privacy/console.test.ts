import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { unzipSync } from "fflate";
import { organizations, users } from "../../models/identity.ts";
import { compliancePresets } from "../../models/security-policy.ts";
import { postForm } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";

let box: TestApp;
let orgId = "";
let adminCookie = "";
beforeAll(async () => {
  box = await startInProcessApp();
  const setUp = await setUpBox(box);
  orgId = setUp.orgId;
  adminCookie = sessionCookie(box, setUp.adminId, orgId);
});
afterAll(() => box.close());

const get = (path: string, cookie: string) => box.fetch(path, { headers: consoleHeaders(box, cookie) });

test("the profile page offers the download, and /account/export is the person's own zip", async () => {
  const member = await createUser(box, { orgId, role: "member", email: "mo@example.com" });
  const cookie = sessionCookie(box, member, orgId);
  expect(await (await get("/account", cookie)).text()).toContain('action="/account/export"');
  const response = await get("/account/export", cookie);
  expect(response.status).toBe(200);
  const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
  expect(JSON.parse(new TextDecoder().decode(files["profile.json"]))).toMatchObject({ email: "mo@example.com" });
});

test("a member's page exports and erases; a reassignment to nobody is drawn again with the field error (422)", async () => {
  const target = await createUser(box, { orgId, role: "member", email: "target@example.com", name: "Tara Target" });
  const page = await get(`/settings/privacy/people/${target}`, adminCookie);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Personal data of Tara Target");
  expect((await get(`/settings/privacy/people/${target}/export`, adminCookie)).headers.get("Content-Type")).toBe(
    "application/zip",
  );

  const refused = await postForm(box, adminCookie, `/settings/privacy/people/${target}/erase`, {
    uploads: "reassign",
    reassignTo: "",
  });
  expect(refused.status).toBe(422);
  expect(await refused.text()).toContain("Choose who gets the uploads.");

  const erased = await postForm(box, adminCookie, `/settings/privacy/people/${target}/erase`, { uploads: "delete" });
  expect(erased.status).toBe(200);
  expect(await erased.text()).toMatch(
    /Tara Target was erased; this organisation&#39;s records now say “Erased person [0-9A-Z]{4}”/,
  );
  expect(box.deps.db.select().from(users).where(eq(users.id, target)).get()).toBeUndefined();
});

test("another organisation's member page, export and erase answer 404; a manager gets 403", async () => {
  const other = await createOrganization(box, "Elsewhere");
  const stranger = await createUser(box, { orgId: other.orgId, role: "member" });
  expect((await get(`/settings/privacy/people/${stranger}`, adminCookie)).status).toBe(404);
  expect((await get(`/settings/privacy/people/${stranger}/export`, adminCookie)).status).toBe(404);
  expect(
    (await postForm(box, adminCookie, `/settings/privacy/people/${stranger}/erase`, { uploads: "delete" })).status,
  ).toBe(404);
  const manager = sessionCookie(box, await createUser(box, { orgId, role: "manager" }), orgId);
  const member = await createUser(box, { orgId, role: "member" });
  expect((await get(`/settings/privacy/people/${member}`, manager)).status).toBe(403);
  expect((await postForm(box, manager, `/settings/privacy/people/${member}/erase`, { uploads: "delete" })).status).toBe(
    403,
  );
});

test("Settings → Personal data previews retention and confirms it", async () => {
  box.deps.db
    .update(organizations)
    .set({ policy: { ...compliancePresets.basic.policy, dataRetentionDays: 365 } })
    .where(eq(organizations.id, orgId))
    .run();
  const page = await (await get("/settings/privacy", adminCookie)).text();
  expect(page).toContain("Start deleting records past 365 days");
  const stale = await postForm(box, adminCookie, "/settings/privacy/retention", { dataRetentionDays: "400" });
  expect(stale.status).toBe(409);
  const confirmed = await postForm(box, adminCookie, "/settings/privacy/retention", { dataRetentionDays: "365" });
  expect(confirmed.status).toBe(200);
  expect(await confirmed.text()).toContain("the daily job deletes these");
});
