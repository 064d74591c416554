import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, isNull } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { postForm } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { fetchAsPeer, startInProcessApp } from "../testing/in-process.ts";
import { findMetricsToken } from "./metrics/metrics-token.ts";

/*
 * The metrics token opens /metrics to other machines, so it is the box's, not an organisation's:
 * only the instance admin makes or revokes it. Globex's admin runs a second organisation on the
 * same box: it may look at the box's health, as /readyz shows it to admins, but not touch the token.
 */

let box: TestApp;
let adminCookie = "";
let memberCookie = "";
let globexCookie = "";
beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
  memberCookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "member" }), acme.orgId);
  const globex = await createOrganization(box, "Globex");
  globexCookie = sessionCookie(box, globex.adminId, globex.orgId);
});
afterAll(() => box.close());

const page = (cookie: string) => box.fetch("/settings/monitoring", { headers: { Cookie: cookie } });
const scrapeFromElsewhere = (token: string) =>
  fetchAsPeer(box, "198.51.100.7", "/metrics", { headers: { Authorization: `Bearer ${token}` } });
const tokenIn = (html: string) => /<code>(obm_[a-z2-9]{32})<\/code>/.exec(html)?.[1] ?? "";

describe("Settings → Monitoring", () => {
  test("the instance admin sees every check and can create the metrics token", async () => {
    const response = await page(adminCookie);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('id="monitoring-checks"');
    expect(html).toContain("Disk space");
    expect(html).toContain("There is no metrics token");
    expect(html).toContain("Create a metrics token");
  });

  test("a member gets 403", async () => {
    expect((await page(memberCookie)).status).toBe(403);
    expect((await postForm(box, memberCookie, "/settings/monitoring/metrics-token", { action: "rotate" })).status).toBe(
      403,
    );
    expect(findMetricsToken(box.deps.db)).toBeNull();
  });

  test("another organisation's admin sees the checks read-only and gets 403 on the token", async () => {
    const html = await (await page(globexCookie)).text();
    expect(html).toContain('id="metrics-token-read-only"');
    expect(html).not.toContain("/settings/monitoring/metrics-token");
    for (const action of ["rotate", "revoke"]) {
      const response = await postForm(box, globexCookie, "/settings/monitoring/metrics-token", { action });
      expect([action, response.status]).toEqual([action, 403]);
    }
    expect(findMetricsToken(box.deps.db)).toBeNull();
  });

  test("the token is shown once, stored hashed, audited, and opens /metrics to another machine", async () => {
    const response = await postForm(box, adminCookie, "/settings/monitoring/metrics-token", { action: "rotate" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const token = tokenIn(await response.text());
    expect(token).not.toBe("");
    expect((await scrapeFromElsewhere(token)).status).toBe(200);
    const later = await (await page(adminCookie)).text();
    expect(later).not.toContain(token);
    expect(later).toContain(`ending in ${token.slice(-4)}`);
    const stored = JSON.stringify(
      box.deps.db.$client.query("SELECT value FROM instance_settings WHERE key = 'metrics_token'").get(),
    );
    expect(stored).not.toContain(token);
    const audit = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(isNull(auditEvents.orgId), eq(auditEvents.action, "metrics_token.created")))
      .all();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  test("replacing the token retires the old one; revoking leaves only loopback", async () => {
    const first = tokenIn(
      await (await postForm(box, adminCookie, "/settings/monitoring/metrics-token", { action: "rotate" })).text(),
    );
    const second = tokenIn(
      await (await postForm(box, adminCookie, "/settings/monitoring/metrics-token", { action: "rotate" })).text(),
    );
    expect((await scrapeFromElsewhere(first)).status).toBe(401);
    expect((await scrapeFromElsewhere(second)).status).toBe(200);
    const revoked = await postForm(box, adminCookie, "/settings/monitoring/metrics-token", { action: "revoke" });
    expect(revoked.headers.get("HX-Redirect")).toBe("/settings/monitoring?notice=revoked");
    expect((await scrapeFromElsewhere(second)).status).toBe(401);
    expect((await box.fetch("/metrics")).status).toBe(200);
    const after = await box.fetch("/settings/monitoring?notice=revoked", { headers: { Cookie: adminCookie } });
    expect(await after.text()).toContain("Metrics token revoked");
  });

  test("an unknown action is a 422 on the page, and nothing changes", async () => {
    const before = findMetricsToken(box.deps.db);
    const response = await postForm(box, adminCookie, "/settings/monitoring/metrics-token", { action: "print" });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("Choose to create, replace or revoke the token.");
    expect(findMetricsToken(box.deps.db)).toEqual(before);
  });
});
