import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { type JobRunStatus, jobRuns } from "../../models/jobs.ts";
import { tasks } from "../../models/work.ts";
import { createLogger } from "../http/logger.ts";
import { JobScheduler } from "../jobs/scheduler.ts";
import type { TestApp } from "../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { newId } from "../tools/ids.ts";
import { agentJobs, builtInAgentDefinitions } from "./registry.ts";

let box: TestApp;
let orgA = "";
let orgB = "";
let adminA = "";
let adminB = "";
let viewerA = "";

beforeAll(async () => {
  box = await startInProcessApp();
  const setup = await setUpBox(box);
  orgA = setup.orgId;
  adminA = setup.adminId;
  ({ orgId: orgB, adminId: adminB } = await createOrganization(box, "Beta"));
  viewerA = await createUser(box, { orgId: orgA, role: "viewer" });
  const { db, log, keyring, config } = box.deps;
  box.deps.jobs = new JobScheduler({
    db,
    log: createLogger("fatal"),
    baseUrl: config.baseUrl,
    jobs: agentJobs({ db, log, keyring, baseUrl: config.baseUrl, dataDir: config.dataDir }),
  });
});
afterAll(() => box.close());

const as = (userId: string, orgId: string) => consoleHeaders(box, sessionCookie(box, userId, orgId));
const call = (method: string, path: string, userId: string, orgId: string, body?: unknown) =>
  box.fetch(path, {
    method,
    headers: { ...as(userId, orgId), "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const form = (path: string, userId: string, orgId: string, fields: Record<string, string>) =>
  box.fetch(path, {
    method: "POST",
    headers: { ...as(userId, orgId), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });

function insertRun(orgId: string, status: JobRunStatus = "succeeded"): string {
  const id = newId("run");
  box.deps.db
    .insert(jobRuns)
    .values({ id, jobId: "stuck-tasks", orgId, status, trigger: "schedule", attempt: 1, queuedAt: new Date(), log: [] })
    .run();
  return id;
}

describe("/api/v1/agents", () => {
  test("lists the built-in agents with their state and settings", async () => {
    const response = await call("GET", "/api/v1/agents", viewerA, orgA);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { id: string; state: string; settings: object }[] };
    expect(body.data.map((agent) => agent.id)).toEqual(builtInAgentDefinitions.map((agent) => agent.id));
    expect(body.data.map((agent) => agent.id)).toContain("invoice-follow-up");
    expect(body.data.map((agent) => agent.id)).toContain("document-parser");
    expect(body.data[0]?.settings).toMatchObject({ thresholdHours: 48, cooldownHours: 24 });
    expect((await call("GET", "/api/v1/agents/nope", viewerA, orgA)).status).toBe(404);
  });

  test("PATCH switches and sets one organisation only; a viewer gets 403; a bad setting is 422", async () => {
    expect((await call("PATCH", "/api/v1/agents/stuck-tasks", viewerA, orgA, { enabled: true })).status).toBe(403);
    const changed = await call("PATCH", "/api/v1/agents/stuck-tasks", adminB, orgB, {
      enabled: true,
      settings: { thresholdHours: 12 },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ state: "on", settings: { thresholdHours: 12 } });
    const inA = (await (await call("GET", "/api/v1/agents/stuck-tasks", adminA, orgA)).json()) as {
      settings: { thresholdHours: number };
    };
    expect(inA.settings.thresholdHours).toBe(48);
    const refused = await call("PATCH", "/api/v1/agents/stuck-tasks", adminB, orgB, {
      settings: { thresholdHours: 0 },
    });
    expect(refused.status).toBe(422);
    const error = (await refused.json()) as { error: { details: { path: string }[] } };
    expect(error.error.details[0]?.path).toBe("settings.thresholdHours");
    const audit = box.deps.db.select().from(auditEvents).where(eq(auditEvents.targetId, "stuck-tasks")).all();
    expect(audit.map((row) => [row.orgId, row.action]).sort()).toEqual(
      [
        [orgB, "agent.enabled"],
        [orgB, "agent.settings_changed"],
      ].sort(),
    );
  });

  test("a dry run previews and writes nothing; a real run is queued (202); a viewer gets 403", async () => {
    const now = new Date();
    box.deps.db
      .insert(tasks)
      .values({
        id: newId("tsk"),
        orgId: orgA,
        title: "Forgotten",
        lastActivityAt: new Date(now.getTime() - 72 * 3_600_000),
      })
      .run();
    const dry = await call("POST", "/api/v1/agents/stuck-tasks/runs?dryRun=true", adminA, orgA);
    expect(dry.status).toBe(200);
    expect(((await dry.json()) as { preview: string[] }).preview).toEqual([
      "would flag “Forgotten” (no activity for 72 h)",
    ]);
    expect(box.deps.db.select().from(tasks).where(eq(tasks.title, "Forgotten")).get()?.stuckAt).toBeNull();
    expect((await call("POST", "/api/v1/agents/stuck-tasks/runs", viewerA, orgA)).status).toBe(403);
    const queued = await call("POST", "/api/v1/agents/stuck-tasks/runs", adminA, orgA);
    expect(queued.status).toBe(202);
    box.deps.jobs?.tick();
    await box.deps.jobs?.idle();
    expect(box.deps.db.select().from(tasks).where(eq(tasks.title, "Forgotten")).get()?.stuckAt).not.toBeNull();
  });

  test("an agent's runs are its organisation's only", async () => {
    const mine = insertRun(orgA);
    const theirs = insertRun(orgB, "failed");
    const ids = async (userId: string, orgId: string, query = "") =>
      (
        (await (await call("GET", `/api/v1/agents/stuck-tasks/runs${query}`, userId, orgId)).json()) as {
          data: { id: string }[];
        }
      ).data.map((run) => run.id);
    expect(await ids(viewerA, orgA)).toContain(mine);
    expect(await ids(viewerA, orgA)).not.toContain(theirs);
    expect(await ids(adminB, orgB, "?status=failed")).toEqual([theirs]);
  });
});

describe("/agents console", () => {
  test("the page lists the agents; the settings form re-renders with field errors (422); viewers cannot post", async () => {
    const page = await box.fetch("/agents", { headers: as(viewerA, orgA) });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Stuck-task agent");
    expect(html).not.toContain("Switch on");
    const refused = await form("/agents/approval-nudger/settings", adminA, orgA, {
      lowHours: "50",
      mediumHours: "48",
      highHours: "72",
      criticalHours: "96",
      cooldownHours: "24",
    });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("Each level must come later than the one before it.");
    expect((await form("/agents/stuck-tasks/switch", viewerA, orgA, { enabled: "on" })).status).toBe(403);
    const preview = await form("/agents/stuck-tasks/preview", adminA, orgA, {});
    expect(await preview.text()).toContain("Run it now for real");
    const switched = await form("/agents/approval-nudger/switch", adminB, orgB, { enabled: "on" });
    expect(switched.status).toBeLessThan(400);
    expect(await (await box.fetch("/agents", { headers: as(adminA, orgA) })).text()).toContain(
      'id="agent-state-approval-nudger">Off',
    );
  });
});
