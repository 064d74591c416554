import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { timeEntries } from "../../../models/time.ts";
import { errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { createTimeWorld, type EntryBody, lastEvent, logTime, setWeekStatus, type TimeWorld } from "./test-kit.ts";

let box: TestApp;
let w: TimeWorld;

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTimeWorld(box);
});
afterAll(() => box.close());

describe("who may use the time entries API", () => {
  const routes: [string, string, unknown?][] = [
    ["GET", "/api/v1/time-entries"],
    ["GET", "/api/v1/time-entries.csv"],
    ["GET", "/api/v1/time-entries/totals"],
    ["POST", "/api/v1/time-entries", { date: "2025-01-06", minutes: 30, projectId: "x" }],
    ["GET", "/api/v1/time-entries/{entry}"],
    ["PATCH", "/api/v1/time-entries/{entry}", { minutes: 10 }],
    ["DELETE", "/api/v1/time-entries/{entry}"],
  ];
  let entryId = "";
  beforeAll(async () => {
    entryId = (await logTime(w.as.member, { date: "2025-01-06", minutes: 60, projectId: w.projectId })).id;
  });

  for (const [method, path, body] of routes) {
    test(`a viewer gets 403 on ${method} ${path}`, async () => {
      const response = await w.as.viewer(method, path.replace("{entry}", entryId), body);
      expect(response.status).toBe(403);
      expect((await errorOf(response)).code).toBe("forbidden");
    });
  }

  for (const [method, path, body] of routes.filter(([, path]) => path.includes("{entry}"))) {
    test(`another organisation gets 404 on ${method} ${path}`, async () => {
      const response = await w.as.otherAdmin(method, path.replace("{entry}", entryId), body);
      expect(response.status).toBe(404);
    });
  }

  test("a member cannot log time on another organisation's project (422)", async () => {
    const response = await w.as.member("POST", "/api/v1/time-entries", {
      date: "2025-01-06",
      minutes: 30,
      projectId: w.otherProjectId,
    });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.[0]?.path).toBe("projectId");
  });
});

describe("logging time", () => {
  test("an entry on a task takes the task's project, answers 201 with ETag and Location and an event", async () => {
    const response = await w.as.member("POST", "/api/v1/time-entries", {
      date: "2025-02-03",
      minutes: 90,
      taskId: w.taskId,
      note: "Valve",
      billable: true,
    });
    expect(response.status).toBe(201);
    const entry = (await response.json()) as EntryBody;
    expect(entry).toMatchObject({ userId: w.ids.member, projectId: w.projectId, taskId: w.taskId, invoiced: false });
    expect(response.headers.get("ETag")).toBeTruthy();
    expect(response.headers.get("Location")).toBe(`/api/v1/time-entries/${entry.id}`);
    const event = lastEvent(box, w.orgId, "time_entry.created");
    expect(event?.subjectId).toBe(entry.id);
    expect(event?.audience).toEqual([w.ids.member]);
    expect(event?.summary).toContain("Mo Member logged 1 h 30 min on “Fix the boiler”");
  });

  test("a task and a different project, no work at all, or an archived project are 422", async () => {
    for (const [body, path] of [
      [{ taskId: w.taskId, projectId: w.archivedProjectId }, "projectId"],
      [{}, "projectId"],
      [{ projectId: w.archivedProjectId }, "projectId"],
      [{ projectId: w.projectId, minutes: 0 }, "minutes"],
      [{ projectId: w.projectId, minutes: 1441 }, "minutes"],
    ] as const) {
      const response = await w.as.member("POST", "/api/v1/time-entries", { date: "2025-02-04", minutes: 30, ...body });
      expect(response.status).toBe(422);
      expect((await errorOf(response)).details?.[0]?.path).toBe(path);
    }
  });

  test("a person's day holds at most 24 hours (422 on minutes), also when an edit would pass it", async () => {
    await logTime(w.as.member, { date: "2025-02-05", minutes: 1000, projectId: w.projectId });
    const second = await logTime(w.as.member, { date: "2025-02-05", minutes: 440, projectId: w.projectId });
    const over = await w.as.member("POST", "/api/v1/time-entries", {
      date: "2025-02-05",
      minutes: 1,
      projectId: w.projectId,
    });
    expect(over.status).toBe(422);
    const error = await errorOf(over);
    expect(error.details?.[0]?.path).toBe("minutes");
    expect(error.message).toBe("The request is not valid.");
    // Another person's day is their own.
    await logTime(w.as.outsider, { date: "2025-02-05", minutes: 600, projectId: w.projectId });
    const grow = await w.as.member("PATCH", `/api/v1/time-entries/${second.id}`, { minutes: 441 });
    expect(grow.status).toBe(422);
    const shrink = await w.as.member("PATCH", `/api/v1/time-entries/${second.id}`, { minutes: 400 });
    expect(shrink.status).toBe(200);
  });

  test("PATCH honours If-Match: a stale ETag is 412, the current one succeeds", async () => {
    const entry = await logTime(w.as.member, { date: "2025-02-06", minutes: 30, projectId: w.projectId });
    const read = await w.as.member("GET", `/api/v1/time-entries/${entry.id}`);
    const etag = read.headers.get("ETag") ?? "";
    expect(
      (await w.as.member("GET", `/api/v1/time-entries/${entry.id}`, undefined, { "If-None-Match": etag })).status,
    ).toBe(304);
    const first = await w.as.member("PATCH", `/api/v1/time-entries/${entry.id}`, { note: "One" }, { "If-Match": etag });
    expect(first.status).toBe(200);
    const stale = await w.as.member("PATCH", `/api/v1/time-entries/${entry.id}`, { note: "Two" }, { "If-Match": etag });
    expect(stale.status).toBe(412);
    expect((await errorOf(stale)).code).toBe("precondition_failed");
    const fresh = first.headers.get("ETag") ?? "";
    const second = await w.as.member(
      "PATCH",
      `/api/v1/time-entries/${entry.id}`,
      { note: "Two" },
      { "If-Match": fresh },
    );
    expect(((await second.json()) as EntryBody).note).toBe("Two");
  });

  test("a billed entry can neither change nor go (409) and says it is invoiced", async () => {
    const entry = await logTime(w.as.member, {
      date: "2025-02-07",
      minutes: 60,
      projectId: w.projectId,
      billable: true,
    });
    // The invoice line itself belongs to billing; only the link matters here.
    box.deps.db.$client.run("PRAGMA foreign_keys = OFF");
    box.deps.db.update(timeEntries).set({ invoiceLineId: "inl_billed" }).where(eq(timeEntries.id, entry.id)).run();
    box.deps.db.$client.run("PRAGMA foreign_keys = ON");
    const read = (await (await w.as.member("GET", `/api/v1/time-entries/${entry.id}`)).json()) as EntryBody;
    expect(read.invoiced).toBe(true);
    const patch = await w.as.member("PATCH", `/api/v1/time-entries/${entry.id}`, { minutes: 30 });
    expect(patch.status).toBe(409);
    expect((await w.as.member("DELETE", `/api/v1/time-entries/${entry.id}`)).status).toBe(409);
    // invoiced is read-only: the API does not take it.
    expect((await w.as.member("PATCH", `/api/v1/time-entries/${entry.id}`, { invoiced: false })).status).toBe(422);
  });

  test("a submitted or approved week refuses new, changed and deleted entries (409); open again, it takes them", async () => {
    const entry = await logTime(w.as.member, { date: "2025-03-04", minutes: 60, projectId: w.projectId });
    for (const status of ["submitted", "approved"] as const) {
      setWeekStatus(box, w.orgId, w.ids.member, "2025-03-03", status);
      const create = await w.as.member("POST", "/api/v1/time-entries", {
        date: "2025-03-05",
        minutes: 30,
        projectId: w.projectId,
      });
      expect(create.status).toBe(409);
      expect((await errorOf(create)).message).toBe(`This week is ${status} and locked.`);
      expect((await w.as.member("PATCH", `/api/v1/time-entries/${entry.id}`, { minutes: 5 })).status).toBe(409);
      expect((await w.as.member("DELETE", `/api/v1/time-entries/${entry.id}`)).status).toBe(409);
      // Moving an entry of an open week into the locked one is refused too.
      const elsewhere = await logTime(w.as.member, { date: "2025-03-12", minutes: 5, projectId: w.projectId });
      expect((await w.as.member("PATCH", `/api/v1/time-entries/${elsewhere.id}`, { date: "2025-03-06" })).status).toBe(
        409,
      );
    }
    setWeekStatus(box, w.orgId, w.ids.member, "2025-03-03", "rejected");
    expect((await w.as.member("PATCH", `/api/v1/time-entries/${entry.id}`, { minutes: 5 })).status).toBe(200);
    expect((await w.as.member("DELETE", `/api/v1/time-entries/${entry.id}`)).status).toBe(204);
    expect(lastEvent(box, w.orgId, "time_entry.deleted")?.subjectId).toBe(entry.id);
  });
});
