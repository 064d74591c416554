import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { organizationTimeZone } from "../../organization-time-zone.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { apiAs, postForm } from "../people/people-test-kit.ts";

let box: TestApp;
let acme: TestBox;
let other: { orgId: string; adminId: string };
let adminCookie: string;
let viewerCookie: string;
let otherAdminCookie: string;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  other = await createOrganization(box, "Globex");
  adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
  otherAdminCookie = sessionCookie(box, other.adminId, other.orgId);
  viewerCookie = sessionCookie(
    box,
    await createUser(box, { orgId: acme.orgId, role: "viewer", name: "Val Viewer" }),
    acme.orgId,
  );
});
afterAll(() => box.close());

const path = "/api/v1/organization/time-zone";
const zoneOf = (orgId: string) => organizationTimeZone(box.deps.db, orgId);

describe("the organisation's time zone", () => {
  test("UTC until set; an admin sets it for their organisation only, with an audit entry", async () => {
    const admin = apiAs(box, adminCookie);
    expect(await (await admin("GET", path)).json()).toEqual({ timeZone: "UTC" });
    const saved = await admin("PUT", path, { timeZone: "Europe/Berlin" });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ timeZone: "Europe/Berlin" });
    expect(zoneOf(acme.orgId)).toBe("Europe/Berlin");
    expect(zoneOf(other.orgId)).toBe("UTC");
    expect(await (await apiAs(box, otherAdminCookie)("GET", path)).json()).toEqual({ timeZone: "UTC" });
    const audit = box.deps.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "settings.time_zone_changed"))
      .all();
    expect(audit.map((row) => [row.orgId, row.actorUserId, row.details])).toEqual([
      [acme.orgId, acme.adminId, { from: "UTC", to: "Europe/Berlin" }],
    ]);
  });

  test("another organisation's admin changes only their own", async () => {
    const response = await apiAs(box, otherAdminCookie)("PUT", path, { timeZone: "Asia/Tokyo" });
    expect(response.status).toBe(200);
    expect(zoneOf(other.orgId)).toBe("Asia/Tokyo");
    expect(zoneOf(acme.orgId)).toBe("Europe/Berlin");
    const page = await postForm(box, otherAdminCookie, "/settings/organization", { timeZone: "America/Chicago" });
    expect(page.status).toBe(200);
    expect(zoneOf(other.orgId)).toBe("America/Chicago");
    expect(zoneOf(acme.orgId)).toBe("Europe/Berlin");
  });

  test("a viewer reads it but gets 403 on changing it, in the API and the console", async () => {
    const viewer = apiAs(box, viewerCookie);
    expect((await viewer("GET", path)).status).toBe(200);
    expect((await viewer("PUT", path, { timeZone: "UTC" })).status).toBe(403);
    expect((await box.fetch("/settings/organization", { headers: { Cookie: viewerCookie } })).status).toBe(403);
    expect((await postForm(box, viewerCookie, "/settings/organization", { timeZone: "UTC" })).status).toBe(403);
    expect(zoneOf(acme.orgId)).toBe("Europe/Berlin");
  });

  test("an unknown zone is a 422 on timeZone; the console draws the form again with what was typed", async () => {
    const refused = await apiAs(box, adminCookie)("PUT", path, { timeZone: "Mars/Olympus" });
    expect(refused.status).toBe(422);
    const error = (await refused.json()) as { error: { code: string; details: { path: string }[] } };
    expect(error.error.code).toBe("validation_failed");
    expect(error.error.details.map((detail) => detail.path)).toEqual(["timeZone"]);
    const form = await postForm(box, adminCookie, "/settings/organization", { timeZone: "Mars/Olympus" });
    expect(form.status).toBe(422);
    const html = await form.text();
    expect(html).toContain('value="Mars/Olympus"');
    expect(html).toContain("Choose a time zone from the list");
    expect(html).toContain('aria-invalid="true"');
    expect(zoneOf(acme.orgId)).toBe("Europe/Berlin");
  });

  test("the settings page offers the known zones and shows the stored one", async () => {
    const response = await box.fetch("/settings/organization", { headers: { Cookie: adminCookie } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('value="Europe/Berlin"');
    expect(html).toContain('<option value="Pacific/Auckland">');
    expect(html).toContain('href="/settings/organization" aria-current="page"');
  });
});
