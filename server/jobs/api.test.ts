import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { type JobRunStatus, jobRuns, jobStates } from "../../models/jobs.ts";
import { mailMessages } from "../../models/mail.ts";
import type { TestApp } from "../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { newId } from "../tools/ids.ts";
import { JobScheduler } from "./scheduler.ts";
import { testJob } from "./test-kit.ts";

let box: TestApp;
let orgA = "";
let orgB = "";
/** The instance admin, an admin of organisation A. */
let instanceAdmin = "";
let adminB = "";
let managerA = "";

beforeAll(async () => {
  box = await startInProcessApp();
  const setup = await setUpBox(box);
  orgA = setup.orgId;
  instanceAdmin = setup.adminId;
  ({ orgId: orgB, adminId: adminB } = await createOrganization(box, "Beta"));
  managerA = await createUser(box, { orgId: orgA, role: "manager" });
});
afterAll(() => box.close());

function insertRun(orgId: string | null, status: JobRunStatus = "succeeded", jobId = "test.job"): string {
  const id = newId("run");
  box.deps.db
    .insert(jobRuns)
    .values({ id, jobId, orgId, status, trigger: "schedule", attempt: 1, queuedAt: new Date(), log: ["a line"] })
    .run();
  return id;
}

const as = (userId: string, orgId: string) => consoleHeaders(box, sessionCookie(box, userId, orgId));
const get = (path: string, userId: string, orgId: string) => box.fetch(path, { headers: as(userId, orgId) });
const post = (path: string, userId: string, orgId: string, form?: Record<string, string>) =>
  box.fetch(path, {
    method: "POST",
    headers: form
      ? { ...as(userId, orgId), "Content-Type": "application/x-www-form-urlencoded" }
      : { ...as(userId, orgId), "Content-Type": "application/json" },
    body: form ? new URLSearchParams(form).toString() : "{}",
  });
const idsOf = async (response: Response) =>
  ((await response.json()) as { data: { id: string }[] }).data.map((run) => run.id);

describe("GET /api/v1/jobs", () => {
  test("an organisation's admin sees its runs only; the instance admin also sees the box's own", async () => {
    const [a, b, whole] = [insertRun(orgA), insertRun(orgB), insertRun(null)];
    const seenByA = await idsOf(await get("/api/v1/jobs?limit=200", instanceAdmin, orgA));
    expect(seenByA).toContain(a);
    expect(seenByA).toContain(whole);
    expect(seenByA).not.toContain(b);
    const seenByB = await idsOf(await get("/api/v1/jobs?limit=200", adminB, orgB));
    expect(seenByB).toContain(b);
    expect(seenByB).not.toContain(a);
    expect(seenByB).not.toContain(whole);
  });

  test("filters by status and pages with a cursor", async () => {
    const running = insertRun(orgB, "running", "other.job");
    const response = await get("/api/v1/jobs?status=running,queued&limit=1", adminB, orgB);
    const body = (await response.json()) as {
      data: { id: string; status: string; log: string[] }[];
      nextCursor: string | null;
    };
    expect(body.data.map((run) => [run.id, run.status, run.log])).toEqual([[running, "running", ["a line"]]]);
    expect((await get("/api/v1/jobs?status=bogus", adminB, orgB)).status).toBe(422);
  });

  test("a manager gets 403", async () => {
    expect((await get("/api/v1/jobs", managerA, orgA)).status).toBe(403);
  });
});

describe("POST /api/v1/jobs/{runId}/cancel", () => {
  test("cancels a queued run of the organisation, once, and records it in the audit log", async () => {
    const id = insertRun(orgB, "queued");
    const response = await post(`/api/v1/jobs/${id}/cancel`, adminB, orgB);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id, status: "cancelled", error: "Cancelled by an admin." });
    const audit = box.deps.db.select().from(auditEvents).where(eq(auditEvents.targetId, id)).all();
    expect(audit.map((event) => [event.action, event.orgId, event.actorUserId])).toEqual([
      ["job_run.cancelled", orgB, adminB],
    ]);
    const again = await post(`/api/v1/jobs/${id}/cancel`, adminB, orgB);
    expect(again.status).toBe(409);
  });

  test("another organisation's run and the box's own are 404 to an organisation's admin", async () => {
    const ofA = insertRun(orgA, "queued");
    const whole = insertRun(null, "retrying", "box.job");
    expect((await post(`/api/v1/jobs/${ofA}/cancel`, adminB, orgB)).status).toBe(404);
    expect((await post(`/api/v1/jobs/${whole}/cancel`, adminB, orgB)).status).toBe(404);
    expect((await post(`/api/v1/jobs/${whole}/cancel`, instanceAdmin, orgA)).status).toBe(200);
  });

  test("a manager gets 403", async () => {
    const id = insertRun(orgA, "queued", "third.job");
    expect((await post(`/api/v1/jobs/${id}/cancel`, managerA, orgA)).status).toBe(403);
  });
});

describe("/jobs and quarantine", () => {
  test("five failed runs in a row quarantine a job: one e-mail per admin, shown on /jobs, released by an admin", async () => {
    const { db, log } = box.deps;
    let now = new Date("2030-01-07T10:00:00Z");
    const scheduler = new JobScheduler({
      db,
      log,
      baseUrl: box.config.baseUrl,
      now: () => now,
      jobs: [
        testJob({
          id: "flaky.job",
          title: "Flaky job",
          scope: "organization",
          schedule: { everyMs: 60_000 },
          run: (ctx) => {
            if (ctx.orgId === orgB) throw new Error("the supplier's server said no");
          },
        }),
      ],
    });
    scheduler.tick();
    for (let round = 0; round < 6; round++) {
      now = new Date(now.getTime() + 60_000);
      scheduler.tick();
      await scheduler.idle();
    }
    const mails = db.select().from(mailMessages).where(eq(mailMessages.template, "job_quarantined")).all();
    expect(mails.map((mail) => [mail.orgId, mail.toAddress])).toEqual([[orgB, "admin@beta.test"]]);
    expect(mails[0]?.textBody).toContain("the supplier's server said no");

    const page = await get("/jobs", adminB, orgB);
    const html = await page.text();
    expect(html).toContain("Stopped after repeated failures");
    expect(html).toContain("flaky.job"); // not a job of the box's own registry: named by its id
    // Organisation A's admin sees nothing of B's quarantine.
    expect(await (await get("/jobs", instanceAdmin, orgA)).text()).not.toContain("Stopped after repeated failures");

    expect(
      (await post("/jobs/release", instanceAdmin, orgA, { jobId: "flaky.job", scope: "organization" })).status,
    ).toBe(404);
    expect((await post("/jobs/release", adminB, orgB, { jobId: "flaky.job", scope: "box" })).status).toBe(404);
    expect((await post("/jobs/release", adminB, orgB, { jobId: "", scope: "organization" })).status).toBe(422);
    const released = await post("/jobs/release", adminB, orgB, { jobId: "flaky.job", scope: "organization" });
    expect(released.status).toBeLessThan(400);
    const state = db
      .select()
      .from(jobStates)
      .where(and(eq(jobStates.jobId, "flaky.job"), eq(jobStates.scope, orgB)))
      .get();
    expect(state).toMatchObject({ quarantinedAt: null, consecutiveFailures: 0, releasedBy: adminB });
  });

  test("/jobs shows running work with a progress bar and a cancel button; a manager gets 403", async () => {
    const id = insertRun(orgB, "running", "progress.job");
    db().update(jobRuns).set({ progress: 40, progressMessage: "40 of 100 invoices" }).where(eq(jobRuns.id, id)).run();
    const html = await (await get("/jobs", adminB, orgB)).text();
    expect(html).toContain('<progress max="100" value="40"');
    expect(html).toContain("40 of 100 invoices");
    expect(html).toContain(`value="${id}"`);
    expect((await get("/jobs", managerA, orgA)).status).toBe(403);
    expect((await post("/jobs/cancel", managerA, orgA, { runId: id })).status).toBe(403);
    expect((await post("/jobs/cancel", instanceAdmin, orgA, { runId: id })).status).toBe(404);
  });
});

const db = () => box.deps.db;
