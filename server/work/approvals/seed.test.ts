import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { approvalPipelines } from "../../../models/approvals.ts";
import { completeSetup } from "../../setup/service.ts";
import { industryTemplates } from "../../setup/templates.ts";
import type { TestApp } from "../../testing/harness.ts";
import { setUpBox, TEST_PASSWORD, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { findPipelineById } from "./pipelines.ts";
import { apiAs, jsonOf } from "./test-kit.ts";

let box: TestApp;
let acme: TestBox;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
});
afterAll(() => box.close());

function pipelinesOf(orgId: string) {
  return box.deps.db
    .select()
    .from(approvalPipelines)
    .where(eq(approvalPipelines.orgId, orgId))
    .orderBy(asc(approvalPipelines.name))
    .all()
    .map((row) => findPipelineById(box.deps.db, orgId, row.id));
}

describe("seeding approval pipelines from the industry template", () => {
  test("setup creates the template's pipelines with one role step (any holder) per template step", () => {
    const seeded = pipelinesOf(acme.orgId);
    expect(seeded.map((pipeline) => [pipeline?.name, pipeline?.subjectType, pipeline?.archivedAt])).toEqual([
      ["Invoice approval", "invoice", null],
      ["Timesheet approval", "timesheet", null],
    ]);
    expect(seeded[0]?.steps).toEqual([
      { name: "Manager", approverType: "role", approverUserId: null, approverRole: "manager", rule: "any" },
    ]);
    expect(seeded[1]?.steps).toEqual([
      { name: "Team Lead", approverType: "role", approverUserId: null, approverRole: "team_lead", rule: "any" },
    ]);
    expect(industryTemplates.general.approvalPipelines.map((template) => template.name)).toEqual([
      "Invoice approval",
      "Timesheet approval",
    ]);
  });

  test("a manufacturing box gets its purchase pipeline (team lead, then manager) and one for the bills the Document inbox reads", async () => {
    const other = await startInProcessApp();
    try {
      const result = await completeSetup(
        { db: other.deps.db, keyring: other.deps.keyring, dataDir: other.dataDir },
        {
          organization: { name: "Mill", industry: "manufacturing", complianceLevel: "basic" },
          admin: { email: "admin@mill.test", name: "Mo Mill", password: TEST_PASSWORD },
          email: { provider: "log" },
          backups: { enabled: false },
          ai: {},
          agents: { defaults: [] },
        },
      );
      const rows = other.deps.db
        .select()
        .from(approvalPipelines)
        .where(eq(approvalPipelines.orgId, result.organizationId))
        .orderBy(asc(approvalPipelines.name))
        .all();
      expect(rows.map((row) => [row.name, row.subjectType])).toEqual([
        ["Bill approval", "bill"],
        ["Invoice approval", "invoice"],
        ["Purchase approval", "purchase"],
        ["Timesheet approval", "timesheet"],
      ]);
      const purchase = findPipelineById(other.deps.db, result.organizationId, rows[2]?.id ?? "");
      expect(purchase?.steps.map((step) => [step.approverRole, step.rule])).toEqual([
        ["team_lead", "any"],
        ["manager", "any"],
      ]);
    } finally {
      await other.close();
    }
  });

  test("an organisation added later by the instance admin gets the general template's pipelines", async () => {
    const admin = apiAs(box, acme.adminId, acme.orgId);
    const created = await jsonOf<{ id: string }>(
      await admin("POST", "/api/v1/organizations", { name: "Initech", adminEmail: "boss@initech.test" }),
      201,
    );
    expect(pipelinesOf(created.id).map((pipeline) => [pipeline?.name, pipeline?.steps.length])).toEqual([
      ["Invoice approval", 1],
      ["Timesheet approval", 1],
    ]);
  });
});
