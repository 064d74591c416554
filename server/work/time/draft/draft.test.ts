import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { githubConnections } from "../../../../models/github.ts";
import { timeEntries } from "../../../../models/time.ts";
import { taskChanges, taskComments } from "../../../../models/work.ts";
import { errorOf } from "../../../auth/people/people-test-kit.ts";
import { databasePath } from "../../../db.ts";
import { type FakeGithub, startFakeGithub } from "../../../github/test-kit.ts";
import type { TestApp } from "../../../testing/harness.ts";
import { consoleHeaders } from "../../../testing/identity.ts";
import { startInProcessApp } from "../../../testing/in-process.ts";
import { newId } from "../../../tools/ids.ts";
import { createTimeWorld, insertTask, setWeekStatus, type TimeWorld } from "../test-kit.ts";

const WEEK = "2025-01-06";
const TOKEN = "ghp_drafterTestToken0123456789";
type Suggestion = { key: string; date: string; minutes: number; taskId: string | null; evidence: string[] };
type DraftBody = { github: { status: string; login: string | null }; locked: boolean; suggestions: Suggestion[] };

let box: TestApp;
let w: TimeWorld;
let github: FakeGithub;
let valvesId: string;

const draftOf = async (call: TimeWorld["as"]["member"], week = WEEK) => {
  const response = await call("GET", `/api/v1/timesheets/draft?week=${week}`);
  expect(response.status).toBe(200);
  return (await response.json()) as DraftBody;
};
const byDate = (draft: DraftBody, date: string) => draft.suggestions.filter((item) => item.date === date);

beforeAll(async () => {
  github = startFakeGithub();
  box = await startInProcessApp({ env: { OPSBOX_GITHUB_API_URL: github.url } });
  w = await createTimeWorld(box);
  const db = box.deps.db;
  valvesId = insertTask(box, w.orgId, w.projectId, "Order valves", w.ids.member);
  const change = (taskId: string, to: string, at: string, actorId = w.ids.member) =>
    db
      .insert(taskChanges)
      .values({
        id: newId("chg"),
        orgId: w.orgId,
        taskId,
        actorId,
        field: "status",
        toValue: JSON.stringify(to),
        createdAt: new Date(at),
      })
      .run();
  const comment = (taskId: string, at: string, authorId = w.ids.member) =>
    db
      .insert(taskComments)
      .values({ id: newId("cmt"), orgId: w.orgId, taskId, authorId, body: "Noted.", createdAt: new Date(at) })
      .run();
  change(valvesId, "review", "2025-01-07T10:00:00Z"); // Tue: moved to review, and a comment
  comment(valvesId, "2025-01-07T11:00:00Z");
  comment(w.taskId, "2025-01-08T09:00:00Z"); // Wed
  change(w.taskId, "done", "2025-01-09T16:00:00Z"); // Thu: closed
  change(w.taskId, "in_progress", "2025-01-07T08:00:00Z", w.ids.manager); // someone else's move: not the member's
  change(valvesId, "blocked", "2025-01-13T08:00:00Z"); // the next week
  github.tokens.set(TOKEN, "mo-dev");
  github.commits.push(
    {
      repository: "acme/site",
      sha: "a1",
      message: "Fix header\n\nlong body",
      at: "2025-01-07T09:00:00Z",
      author: "mo-dev",
    },
    { repository: "acme/site", sha: "a2", message: "Add footer", at: "2025-01-07T10:30:00Z", author: "mo-dev" },
    { repository: "acme/site", sha: "a3", message: "Tidy CSS", at: "2025-01-07T11:00:00Z", author: "mo-dev" },
    { repository: "acme/site", sha: "b1", message: "Someone else's", at: "2025-01-07T12:00:00Z", author: "other" },
    { repository: "acme/site", sha: "c1", message: "Too late", at: "2025-01-14T12:00:00Z", author: "mo-dev" },
  );
  const connected = await w.as.member("PUT", "/api/v1/me/github", { token: TOKEN, repositories: [] });
  expect(connected.status).toBe(200);
});
afterAll(async () => {
  await box.close();
  await github.stop();
});

describe("the GitHub connection", () => {
  test("the token is checked with GET /user, stored encrypted and never answered", async () => {
    const body = (await (await w.as.member("GET", "/api/v1/me/github")).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ connected: true, login: "mo-dev", status: "connected", repositories: [] });
    expect(JSON.stringify(body)).not.toContain(TOKEN);
    expect(github.requests.find((request) => request.path === "/user")?.authorization).toBe(`Bearer ${TOKEN}`);
    const row = box.deps.db.select().from(githubConnections).where(eq(githubConnections.userId, w.ids.member)).get();
    expect(row?.tokenEncrypted).toStartWith("v1.");
    expect(row?.tokenEncrypted).not.toContain(TOKEN);
    box.deps.db.run("pragma wal_checkpoint(TRUNCATE)");
    expect(readFileSync(databasePath(box.dataDir)).includes(Buffer.from(TOKEN))).toBe(false);
  });

  test("a token GitHub refuses is a 422 on token, and nothing is stored", async () => {
    const response = await w.as.lead("PUT", "/api/v1/me/github", { token: "ghp_wrong" });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.[0]?.path).toBe("token");
    const body = (await (await w.as.lead("GET", "/api/v1/me/github")).json()) as Record<string, unknown>;
    expect(body.connected).toBe(false);
  });

  test("another organisation's admin does not see the member's connection", async () => {
    const body = (await (await w.as.otherAdmin("GET", "/api/v1/me/github")).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ connected: false, login: null });
  });
});

describe("who may use the draft", () => {
  const routes: [string, string, unknown?][] = [
    ["GET", `/api/v1/timesheets/draft?week=${WEEK}`],
    ["POST", "/api/v1/timesheets/draft/accept", { week: WEEK, suggestions: [{ key: "x" }] }],
    ["POST", "/api/v1/timesheets/draft/discard", { week: WEEK, keys: ["x"] }],
    ["GET", "/api/v1/me/github"],
    ["PUT", "/api/v1/me/github", { token: "ghp_x" }],
    ["DELETE", "/api/v1/me/github"],
  ];
  for (const [method, path, body] of routes) {
    test(`a viewer gets 403 on ${method} ${path.split("?")[0]}`, async () => {
      const response = await w.as.viewer(method, path, body);
      expect(response.status).toBe(403);
      expect((await errorOf(response)).code).toBe("forbidden");
    });
  }

  test("another organisation's admin and another member see none of the member's work, and cannot accept it", async () => {
    const mine = await draftOf(w.as.member);
    const key = mine.suggestions[0]?.key ?? "";
    for (const call of [w.as.otherAdmin, w.as.outsider]) {
      expect((await draftOf(call)).suggestions).toEqual([]);
      const response = await call("POST", "/api/v1/timesheets/draft/accept", { week: WEEK, suggestions: [{ key }] });
      expect(response.status).toBe(422);
      expect((await errorOf(response)).details?.[0]?.path).toBe("suggestions.0.key");
    }
  });
});

describe("drafting a week", () => {
  test("suggests the tasks the person moved, closed or commented on and their commits, with the evidence", async () => {
    const draft = await draftOf(w.as.member);
    expect(draft.github).toEqual({ status: "connected", login: "mo-dev" });
    const search = github.requests.find((request) => request.path.startsWith("/search/commits"));
    const q = new URL(`http://x${search?.path}`).searchParams.get("q");
    expect(q).toBe("author:mo-dev committer-date:2025-01-06..2025-01-12");
    expect(search?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(byDate(draft, "2025-01-07")).toEqual([
      expect.objectContaining({
        key: "2025-01-07:gh:acme/site",
        minutes: 150, // 09:00–11:00 is one session: 120 min + 30
        taskId: null,
        evidence: ["3 commits to acme/site on Tue: Fix header; Add footer; Tidy CSS"],
      }),
      expect.objectContaining({
        key: `2025-01-07:${valvesId}`,
        minutes: 45,
        evidence: ["moved “Order valves” to Review on Tue", "commented on “Order valves” on Tue"],
      }),
    ]);
    expect(byDate(draft, "2025-01-08")).toEqual([
      expect.objectContaining({ minutes: 15, evidence: ["commented on “Fix the boiler” on Wed"] }),
    ]);
    expect(byDate(draft, "2025-01-09")).toEqual([
      expect.objectContaining({ minutes: 30, evidence: ["closed “Fix the boiler” on Thu"] }),
    ]);
    expect(draft.suggestions).toHaveLength(4);
    expect(box.deps.db.select().from(timeEntries).where(eq(timeEntries.userId, w.ids.member)).all()).toEqual([]);
  });

  test("accepting writes time entries with the edits; accepted and discarded suggestions are not suggested again", async () => {
    const noProject = await w.as.member("POST", "/api/v1/timesheets/draft/accept", {
      week: WEEK,
      suggestions: [{ key: "2025-01-07:gh:acme/site" }],
    });
    expect(noProject.status).toBe(422);
    expect((await errorOf(noProject)).details?.[0]?.path).toBe("suggestions.0.projectId");
    const otherOrgProject = await w.as.member("POST", "/api/v1/timesheets/draft/accept", {
      week: WEEK,
      suggestions: [{ key: "2025-01-07:gh:acme/site", projectId: w.otherProjectId }],
    });
    expect(otherOrgProject.status).toBe(422);
    const response = await w.as.member("POST", "/api/v1/timesheets/draft/accept", {
      week: WEEK,
      suggestions: [
        { key: `2025-01-07:${valvesId}`, minutes: 60, note: "Valves order" },
        { key: "2025-01-07:gh:acme/site", projectId: w.projectId },
      ],
    });
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: { minutes: number; note: string; taskId: string | null }[] };
    expect(data.map((entry) => [entry.minutes, entry.note, entry.taskId])).toEqual([
      [60, "Valves order", valvesId],
      [150, "acme/site: Fix header; Add footer; Tidy CSS", null],
    ]);
    const discarded = await w.as.member("POST", "/api/v1/timesheets/draft/discard", {
      week: WEEK,
      keys: [`2025-01-08:${w.taskId}`],
    });
    expect(await discarded.json()).toEqual({ discarded: 1 });
    const draft = await draftOf(w.as.member);
    expect(draft.suggestions.map((item) => item.key)).toEqual([`2025-01-09:${w.taskId}`]);
  });

  test("the console page lists suggestions with evidence, and a refused form keeps what was typed (422)", async () => {
    const headers = consoleHeaders(box, w.cookies.member);
    const page = await box.fetch(`/time/draft?week=${WEEK}`, { headers });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("closed “Fix the boiler” on Thu");
    expect(html).toContain("Add selected");
    const key = `2025-01-09:${w.taskId}`;
    const form = new URLSearchParams({
      week: WEEK,
      pick: key,
      [`minutes:${key}`]: "abc",
      [`note:${key}`]: "typed note",
    });
    const refused = await box.fetch("/time/draft/accept", { method: "POST", headers, body: form });
    expect(refused.status).toBe(422);
    const again = await refused.text();
    expect(again).toContain('value="typed note"');
    expect(again).toContain('value="abc"');
  });

  test("a submitted week is refused with a clear error and nothing is written", async () => {
    setWeekStatus(box, w.orgId, w.ids.member, WEEK, "submitted");
    const before = box.deps.db
      .select()
      .from(timeEntries)
      .where(and(eq(timeEntries.userId, w.ids.member)))
      .all().length;
    const response = await w.as.member("POST", "/api/v1/timesheets/draft/accept", {
      week: WEEK,
      suggestions: [{ key: `2025-01-09:${w.taskId}` }],
    });
    expect(response.status).toBe(409);
    expect((await errorOf(response)).message).toBe("This week is submitted and locked.");
    expect(box.deps.db.select().from(timeEntries).where(eq(timeEntries.userId, w.ids.member)).all()).toHaveLength(
      before,
    );
    expect((await draftOf(w.as.member)).locked).toBe(true);
    setWeekStatus(box, w.orgId, w.ids.member, WEEK, "open");
  });

  test("a revoked token asks to reconnect, and the draft goes on without commits", async () => {
    github.tokens.delete(TOKEN);
    const draft = await draftOf(w.as.member, "2025-01-13");
    expect(draft.github.status).toBe("reconnect");
    expect(draft.suggestions.map((item) => item.evidence[0])).toEqual(["moved “Order valves” to Blocked on Mon"]);
    const asked = github.requests.length;
    expect((await draftOf(w.as.member, "2025-01-13")).github.status).toBe("reconnect");
    expect(github.requests).toHaveLength(asked); // a refused token is not sent again
    const page = await box.fetch(`/time/draft?week=${WEEK}`, { headers: consoleHeaders(box, w.cookies.member) });
    expect(await page.text()).toContain("Reconnect GitHub");
  });
});
