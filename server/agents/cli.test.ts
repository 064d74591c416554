import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { type ApprovalStepSpec, approvalPipelines, approvalRequests } from "../../models/approvals.ts";
import { runCli } from "../testing/cli.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, setUpBox } from "../testing/identity.ts";
import { newId } from "../tools/ids.ts";

let box: TestApp;
let orgId = "";
let requestId = "";
beforeAll(async () => {
  box = await startTestApp();
  orgId = (await setUpBox(box, { name: "Acme" })).orgId;
  const annId = await createUser(box, { orgId, role: "manager", name: "Ann", email: "ann@acme.test" });
  const pipelineId = newId("apl");
  box.deps.db.insert(approvalPipelines).values({ id: pipelineId, orgId, name: "Purchases" }).run();
  const step: ApprovalStepSpec = {
    name: "Check",
    approverType: "user",
    approverUserId: annId,
    approverRole: null,
    rule: "any",
  };
  requestId = newId("apr");
  const createdAt = new Date(Date.now() - 50 * 3_600_000);
  box.deps.db
    .insert(approvalRequests)
    .values({ id: requestId, orgId, pipelineId, subjectType: "other", title: "Buy valves", steps: [step], createdAt })
    .run();
});
afterAll(() => box.close());

const opsbox = (args: string[]) => runCli(["agents", ...args], { OPSBOX_DATA_DIR: box.dataDir });

test("agents list shows each agent's state in the box's only organisation", async () => {
  const result = await opsbox(["list"]);
  expect([result.code, result.stderr]).toEqual([0, ""]);
  expect(result.stdout).toMatch(/^stuck-tasks\s+off\s+every hour, on the hour\s+never run\n/m);
  expect(result.stdout).toMatch(/^approval-nudger\s+off\s/m);
});

test("agents run --dry-run prints the preview and changes nothing", async () => {
  const result = await opsbox(["run", "approval-nudger", "--dry-run"]);
  expect([result.code, result.stderr]).toEqual([0, ""]);
  expect(result.stdout).toBe("would mark “Buy valves” medium (waiting 50 h) and e-mail Ann\n");
  const history = await opsbox(["history", "approval-nudger"]);
  expect(history.stdout).toBe("approval-nudger has no runs in its history.\n");
});

test("agents run hands the run to the running server and waits for its end; history lists it", async () => {
  const run = await opsbox(["run", "approval-nudger", "--org", "Acme"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^Queued run_\w+\.\nrun_\w+ {2}succeeded {2}manual/);
  const request = box.deps.db.select().from(approvalRequests).where(eq(approvalRequests.id, requestId)).get();
  expect(request?.urgency).toBe("medium"); // the server ran the nudger for real
  const history = await opsbox(["history", "approval-nudger", "--org", orgId]);
  expect(history.stdout).toContain("succeeded  manual");
  const list = await opsbox(["list"]);
  expect(list.stdout).toMatch(/^approval-nudger\s+off\s+every hour, on the hour\s+last succeeded /m);
});

test("agents refuse an unknown agent, an unknown organisation, and a missing --org on a box of several", async () => {
  const unknown = await opsbox(["run", "no-such-agent"]);
  expect([unknown.code, unknown.stderr]).toEqual([
    1,
    'opsbox: No agent "no-such-agent". `opsbox agents list` shows them.\n',
  ]);
  const org = await opsbox(["history", "stuck-tasks", "--org", "Nobody"]);
  expect([org.code, org.stderr]).toEqual([
    1,
    'opsbox: No organisation "Nobody". `opsbox organizations list` shows them.\n',
  ]);
  await createOrganization(box, "Beta");
  const several = await opsbox(["list"]);
  expect([several.code, several.stderr]).toEqual([
    1,
    "opsbox: The box has several organisations: name one with --org.\n",
  ]);
  expect((await opsbox(["list", "--org", "Beta"])).code).toBe(0);
});
