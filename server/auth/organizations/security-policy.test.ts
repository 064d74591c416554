import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { organizations } from "../../../models/identity.ts";
import { compliancePresets, type SecurityPolicy } from "../../../models/security-policy.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { apiAs, type Call, errorOf, postForm } from "../people/people-test-kit.ts";

let box: TestApp;
let acme: TestBox;
let other: { orgId: string; adminId: string };
let admin: Call;
let adminCookie: string;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box, { complianceLevel: "soc2" });
  other = await createOrganization(box, "Globex");
  adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
  admin = apiAs(box, adminCookie);
});
afterAll(() => box.close());

function storedPolicy(orgId: string): SecurityPolicy {
  return box.deps.db.select().from(organizations).where(eq(organizations.id, orgId)).get()?.policy as SecurityPolicy;
}

const tighter: SecurityPolicy = {
  ...compliancePresets.soc2.policy,
  sessionIdleTimeoutMinutes: 20,
  passwordMinLength: 16,
};

describe("GET and PUT /api/v1/security-policy", () => {
  test("member and manager get 403 on both", async () => {
    for (const role of ["member", "manager"]) {
      const call = apiAs(box, sessionCookie(box, await createUser(box, { orgId: acme.orgId, role }), acme.orgId));
      expect((await call("GET", "/api/v1/security-policy")).status).toBe(403);
      expect((await call("PUT", "/api/v1/security-policy", tighter)).status).toBe(403);
    }
  });

  test("reads the policy with its compliance level and the preset's values", async () => {
    const response = await admin("GET", "/api/v1/security-policy");
    expect(response.status).toBe(200);
    expect(response.headers.get("ETag")).toBeString();
    expect(await response.json()).toEqual({
      complianceLevel: "soc2",
      policy: compliancePresets.soc2.policy,
      preset: compliancePresets.soc2.policy,
    });
  });

  test("replaces the policy of the caller's organisation only, and audits what changed", async () => {
    const response = await admin("PUT", "/api/v1/security-policy", tighter);
    expect(response.status).toBe(200);
    expect(storedPolicy(acme.orgId)).toEqual(tighter);
    expect(storedPolicy(other.orgId)).toEqual(compliancePresets.basic.policy);
    const audit = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "settings.security_policy_changed"), eq(auditEvents.orgId, acme.orgId)))
      .get();
    expect(audit?.details).toEqual({
      sessionIdleTimeoutMinutes: { from: 30, to: 20 },
      passwordMinLength: { from: 14, to: 16 },
    });
  });

  test("values outside the bounds are 422 with each field's path and change nothing", async () => {
    const response = await admin("PUT", "/api/v1/security-policy", {
      ...tighter,
      sessionIdleTimeoutMinutes: 1,
      passwordMinLength: 8,
      twoFactorRequiredFor: "nobody",
    });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.map((detail) => detail.path).sort()).toEqual([
      "passwordMinLength",
      "sessionIdleTimeoutMinutes",
      "twoFactorRequiredFor",
    ]);
    expect(storedPolicy(acme.orgId)).toEqual(tighter);
    const partial = await admin("PUT", "/api/v1/security-policy", { passwordMinLength: 20 });
    expect(partial.status).toBe(422);
  });

  test("a stale If-Match is 412", async () => {
    const etag = (await admin("GET", "/api/v1/security-policy")).headers.get("ETag") ?? "";
    const fresh = await admin(
      "PUT",
      "/api/v1/security-policy",
      { ...tighter, lockoutMinutes: 45 },
      { "If-Match": etag },
    );
    expect(fresh.status).toBe(200);
    const stale = await admin(
      "PUT",
      "/api/v1/security-policy",
      { ...tighter, lockoutMinutes: 50 },
      { "If-Match": etag },
    );
    expect(stale.status).toBe(412);
    expect(storedPolicy(acme.orgId).lockoutMinutes).toBe(45);
  });
});

const form = (policy: Record<string, string>) => postForm(box, adminCookie, "/settings/security", policy);
const asText = (policy: SecurityPolicy) =>
  Object.fromEntries(Object.entries(policy).map(([key, value]) => [key, value === null ? "" : String(value)]));

describe("Settings → Security policy", () => {
  test("shows the values, their bounds and the preset", async () => {
    const response = await box.fetch("/settings/security", { headers: { Cookie: adminCookie } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("SOC 2");
    expect(html).toContain('name="passwordMinLength"');
    expect(html).toContain('min="12"');
  });

  test("a value out of bounds comes back with what was typed and the allowed range (422)", async () => {
    const response = await form({ ...asText(tighter), lockoutThreshold: "99", auditRetentionDays: "ten" });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('value="99"');
    expect(html).toContain('value="ten"');
    expect(html).toContain("Enter a whole number from 3 to 20.");
    expect(storedPolicy(acme.orgId).lockoutThreshold).not.toBe(99);
  });

  test("saving applies to the caller's organisation; an empty data retention keeps records", async () => {
    const response = await form({ ...asText(tighter), twoFactorRequiredFor: "everyone", dataRetentionDays: "" });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Security policy saved.");
    expect(storedPolicy(acme.orgId).dataRetentionDays).toBeNull();
    expect(storedPolicy(other.orgId)).toEqual(compliancePresets.basic.policy);
  });

  test("a team lead gets 403 on the page and the form", async () => {
    const lead = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "team_lead" }), acme.orgId);
    expect((await box.fetch("/settings/security", { headers: { Cookie: lead } })).status).toBe(403);
    expect((await postForm(box, lead, "/settings/security", asText(tighter))).status).toBe(403);
  });
});

describe("the compliance preset is a floor", () => {
  test("the API refuses a looser value with 422 naming the field and the preset, and changes nothing", async () => {
    const before = storedPolicy(acme.orgId);
    const looser = {
      ...before,
      twoFactorRequiredFor: "admins",
      sessionIdleTimeoutMinutes: before.sessionIdleTimeoutMinutes + 60,
    };
    const response = await admin("PUT", "/api/v1/security-policy", looser);
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { details: { path: string; message: string }[] } };
    expect(body.error.details.map((detail) => detail.path).sort()).toEqual([
      "sessionIdleTimeoutMinutes",
      "twoFactorRequiredFor",
    ]);
    expect(body.error.details[0]?.message).toStartWith("SOC 2:");
    expect(storedPolicy(acme.orgId)).toEqual(before);
  });

  test("the console form keeps what was typed and shows why at 422", async () => {
    const before = storedPolicy(acme.orgId);
    const response = await form({ ...asText(before), passwordMinLength: "12" });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("at least 14 characters");
    expect(html).toContain('value="12"');
    expect(storedPolicy(acme.orgId)).toEqual(before);
  });
});
