import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { organizations } from "../../models/identity.ts";
import { compliancePresets } from "../../models/security-policy.ts";
import { makeTempDir, type TestApp } from "../testing/harness.ts";
import { createOrganization, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { pruneExpiredAuditEvents } from "./retention.ts";
import { recordAudit } from "./service.ts";

const DAY = 86_400_000;
const now = new Date();
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

let box: TestApp;
let basicOrg: string;
let enterpriseOrg: string;
beforeAll(async () => {
  box = await startInProcessApp();
  basicOrg = (await setUpBox(box)).orgId;
  enterpriseOrg = (await createOrganization(box, "Hospital")).orgId;
  box.deps.db
    .update(organizations)
    .set({ policy: compliancePresets.enterprise.policy })
    .where(eq(organizations.id, enterpriseOrg))
    .run();
});
afterAll(() => box.close());

function actionsOf(orgId: string | null): string[] {
  return box.deps.db
    .select()
    .from(auditEvents)
    .all()
    .filter((event) => event.orgId === orgId && event.action.startsWith("test."))
    .map((event) => event.action)
    .sort();
}

test("pruning keeps each organisation's events for its preset's retention, box events for the longest", () => {
  const db = box.deps.db;
  for (const orgId of [basicOrg, enterpriseOrg, null]) {
    recordAudit(db, { orgId, action: "test.fresh" }, daysAgo(10));
    recordAudit(db, { orgId, action: "test.year_and_a_half" }, daysAgo(550));
    recordAudit(db, { orgId, action: "test.eight_years" }, daysAgo(8 * 365));
  }
  const removed = pruneExpiredAuditEvents(db, now);
  expect(removed).toBe(4);
  // Basic keeps a year; enterprise seven; events of the whole box follow the longest (seven).
  expect(actionsOf(basicOrg)).toEqual(["test.fresh"]);
  expect(actionsOf(enterpriseOrg)).toEqual(["test.fresh", "test.year_and_a_half"]);
  expect(actionsOf(null)).toEqual(["test.fresh", "test.year_and_a_half"]);
  expect(pruneExpiredAuditEvents(db, now)).toBe(0);
});

test("the server prunes the audit log when it starts", async () => {
  const dataDir = makeTempDir();
  try {
    const first = await startInProcessApp({ dataDir });
    const { orgId } = await setUpBox(first);
    recordAudit(first.deps.db, { orgId, action: "test.ancient" }, new Date(Date.now() - 400 * DAY));
    recordAudit(first.deps.db, { orgId, action: "test.recent" }, new Date(Date.now() - 5 * DAY));
    await first.close();
    const second = await startInProcessApp({ dataDir });
    const left = second.deps.db.select({ action: auditEvents.action }).from(auditEvents).all();
    await second.close();
    expect(left.map((event) => event.action)).toContain("test.recent");
    expect(left.map((event) => event.action)).not.toContain("test.ancient");
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
