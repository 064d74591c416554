import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { timeEntries, timers } from "../../../models/time.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { addDays, dayOf, splitByDay, startOfDay, todayUtc, weekStartOf } from "../../tools/days.ts";
import { createTimeWorld, type EntryBody, lastEvent, setWeekStatus, type TimeWorld } from "./test-kit.ts";

let box: TestApp;
let w: TimeWorld;

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTimeWorld(box);
});
afterAll(() => box.close());

/** Moves the person's running timer back in time, as if started then. */
function startedAt(userId: string, when: Date) {
  box.deps.db
    .update(timers)
    .set({ startedAt: when })
    .where(and(eq(timers.orgId, w.orgId), eq(timers.userId, userId)))
    .run();
}

describe("splitting a running time by day", () => {
  test("rounds up to the minute, at least 1, one piece per UTC day", () => {
    const at = (text: string) => new Date(text);
    expect(splitByDay(at("2025-05-05T09:00:00Z"), at("2025-05-05T09:00:00Z"))).toEqual([
      { date: "2025-05-05", minutes: 1 },
    ]);
    expect(splitByDay(at("2025-05-05T09:00:00Z"), at("2025-05-05T10:30:01Z"))).toEqual([
      { date: "2025-05-05", minutes: 91 },
    ]);
    expect(splitByDay(at("2025-05-05T23:30:00Z"), at("2025-05-06T00:00:00Z"))).toEqual([
      { date: "2025-05-05", minutes: 30 },
    ]);
    expect(splitByDay(at("2025-05-05T23:30:00Z"), at("2025-05-07T01:15:00Z"))).toEqual([
      { date: "2025-05-05", minutes: 30 },
      { date: "2025-05-06", minutes: 1440 },
      { date: "2025-05-07", minutes: 75 },
    ]);
  });
});

describe("the timer", () => {
  test("a viewer gets 403 on every timer route", async () => {
    for (const [method, path] of [
      ["GET", "/api/v1/timers/current"],
      ["POST", "/api/v1/timers"],
      ["POST", "/api/v1/timers/current/stop"],
      ["DELETE", "/api/v1/timers/current"],
    ] as const) {
      const response = await w.as.viewer(method, path, method === "POST" ? { projectId: w.projectId } : undefined);
      expect(response.status).toBe(403);
    }
  });

  test("starts on a task, shows as current, and stops into one entry rounded up to the minute", async () => {
    expect((await w.as.member("GET", "/api/v1/timers/current")).status).toBe(404);
    const start = await w.as.member("POST", "/api/v1/timers", { taskId: w.taskId, note: "Boiler", billable: true });
    expect(start.status).toBe(201);
    const timer = (await start.json()) as { id: string; projectId: string; stoppedEntries: unknown[] };
    expect(timer.projectId).toBe(w.projectId);
    expect(timer.stoppedEntries).toEqual([]);
    expect(lastEvent(box, w.orgId, "timer.started")?.subjectId).toBe(timer.id);
    const current = (await (await w.as.member("GET", "/api/v1/timers/current")).json()) as { id: string };
    expect(current.id).toBe(timer.id);
    // Another person has no timer of their own.
    expect((await w.as.lead("GET", "/api/v1/timers/current")).status).toBe(404);

    startedAt(w.ids.member, new Date(Date.now() - (2 * 60_000 + 1_000)));
    const stop = await w.as.member("POST", "/api/v1/timers/current/stop");
    expect(stop.status).toBe(201);
    const { data } = (await stop.json()) as { data: EntryBody[] };
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({
      minutes: 3,
      date: todayUtc(),
      taskId: w.taskId,
      projectId: w.projectId,
      note: "Boiler",
      billable: true,
    });
    expect(lastEvent(box, w.orgId, "timer.stopped")?.data).toMatchObject({ minutes: 3, discarded: false });
    expect((await w.as.member("GET", "/api/v1/timers/current")).status).toBe(404);
    expect((await w.as.member("POST", "/api/v1/timers/current/stop")).status).toBe(404);
  });

  test("starting another timer stops the running one and saves its time", async () => {
    await w.as.lead("POST", "/api/v1/timers", { projectId: w.projectId });
    const start = Date.now() - (10 * 60_000 - 2_000);
    startedAt(w.ids.lead, new Date(start));
    const second = await w.as.lead("POST", "/api/v1/timers", { taskId: w.taskId });
    const body = (await second.json()) as { taskId: string; stoppedEntries: EntryBody[] };
    expect(body.taskId).toBe(w.taskId);
    const midnight = startOfDay(todayUtc()).getTime();
    // Run in the first ten minutes of a UTC day, the timer ran over midnight: one entry per day.
    const expected =
      start < midnight
        ? [
            [Math.ceil((midnight - start) / 60_000), w.projectId, null],
            [Math.max(1, Math.ceil((Date.now() - midnight) / 60_000)), w.projectId, null],
          ]
        : [[10, w.projectId, null]];
    expect(body.stoppedEntries.map((entry) => [entry.minutes, entry.projectId, entry.taskId])).toEqual(expected);
    expect(box.deps.db.select().from(timers).where(eq(timers.userId, w.ids.lead)).all()).toHaveLength(1);
    expect((await w.as.lead("DELETE", "/api/v1/timers/current")).status).toBe(204);
  });

  test("a timer over midnight becomes one entry per day", async () => {
    await w.as.manager("POST", "/api/v1/timers", { projectId: w.projectId });
    const midnight = startOfDay(todayUtc());
    startedAt(w.ids.manager, new Date(midnight.getTime() - 30 * 60_000));
    const stop = await w.as.manager("POST", "/api/v1/timers/current/stop");
    const { data } = (await stop.json()) as { data: EntryBody[] };
    const expectedToday = Math.max(1, Math.ceil((Date.now() - midnight.getTime()) / 60_000));
    expect(data.map((entry) => entry.date)).toEqual([addDays(todayUtc(), -1), todayUtc()]);
    expect(data[0]?.minutes).toBe(30);
    expect(Math.abs((data[1]?.minutes ?? 0) - expectedToday)).toBeLessThanOrEqual(1);
  });

  test("discarding saves nothing", async () => {
    await w.as.outsider("POST", "/api/v1/timers", { projectId: w.projectId });
    const before = box.deps.db.select().from(timeEntries).where(eq(timeEntries.userId, w.ids.outsider)).all().length;
    expect((await w.as.outsider("DELETE", "/api/v1/timers/current")).status).toBe(204);
    expect(box.deps.db.select().from(timeEntries).where(eq(timeEntries.userId, w.ids.outsider)).all()).toHaveLength(
      before,
    );
    expect(lastEvent(box, w.orgId, "timer.stopped")?.data).toMatchObject({ discarded: true });
    expect((await w.as.outsider("DELETE", "/api/v1/timers/current")).status).toBe(404);
  });

  test("a timer needs a task or project of the organisation (422)", async () => {
    expect((await w.as.member("POST", "/api/v1/timers", {})).status).toBe(422);
    expect((await w.as.member("POST", "/api/v1/timers", { projectId: w.otherProjectId })).status).toBe(422);
  });

  test("stopping into a locked week is refused (409) and the timer keeps running", async () => {
    await w.as.admin("POST", "/api/v1/timers", { projectId: w.projectId });
    setWeekStatus(box, w.orgId, w.ids.admin, weekStartOf(dayOf(new Date())), "approved");
    const stop = await w.as.admin("POST", "/api/v1/timers/current/stop");
    expect(stop.status).toBe(409);
    expect((await w.as.admin("GET", "/api/v1/timers/current")).status).toBe(200);
    setWeekStatus(box, w.orgId, w.ids.admin, weekStartOf(dayOf(new Date())), "open");
  });
});
