import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { githubConnections } from "../../models/github.ts";
import type { TestApp } from "../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { type FakeGithub, startFakeGithub } from "./test-kit.ts";

const TOKEN = "github_pat_consoleTest0123456789";
let box: TestApp;
let github: FakeGithub;
let orgId: string;
let memberId: string;
let member: Record<string, string>;
let viewer: Record<string, string>;
let otherAdmin: Record<string, string>;

const post = (path: string, headers: Record<string, string>, fields: Record<string, string> = {}) =>
  box.fetch(path, { method: "POST", headers, body: new URLSearchParams(fields) });
const connectionOf = (userId: string) =>
  box.deps.db.select().from(githubConnections).where(eq(githubConnections.userId, userId)).get();

beforeAll(async () => {
  github = startFakeGithub();
  github.tokens.set(TOKEN, "mo-dev");
  box = await startInProcessApp({ env: { OPSBOX_GITHUB_API_URL: github.url } });
  const acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  orgId = acme.orgId;
  memberId = await createUser(box, { orgId, role: "member", email: "mo@acme.test", name: "Mo Member" });
  const viewerId = await createUser(box, { orgId, role: "viewer", email: "vic@acme.test", name: "Vic Viewer" });
  member = consoleHeaders(box, sessionCookie(box, memberId, orgId));
  viewer = consoleHeaders(box, sessionCookie(box, viewerId, orgId));
  otherAdmin = consoleHeaders(box, sessionCookie(box, globex.adminId, globex.orgId));
});
afterAll(async () => {
  await box.close();
  await github.stop();
});

describe("/account/github", () => {
  test("a viewer gets 403 on each route", async () => {
    expect((await box.fetch("/account/github", { headers: viewer })).status).toBe(403);
    expect((await post("/account/github", viewer, { token: TOKEN })).status).toBe(403);
    expect((await post("/account/github/disconnect", viewer)).status).toBe(403);
  });

  test("a refused token is a 422 that keeps the repositories typed and never writes the token back", async () => {
    const response = await post("/account/github", member, { token: "ghp_revoked", repositories: "acme/site" });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("GitHub refused this token");
    expect(html).toContain("acme/site");
    expect(html).not.toContain("ghp_revoked");
    expect(connectionOf(memberId)).toBeUndefined();
  });

  test("connecting stores the login, repositories and the encrypted token, audited without it", async () => {
    const response = await post("/account/github", member, { token: TOKEN, repositories: "acme/site\nacme/api" });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("GitHub is connected as mo-dev.");
    expect(html).not.toContain(TOKEN);
    const row = connectionOf(memberId);
    expect(row).toMatchObject({ orgId, login: "mo-dev", repositories: ["acme/site", "acme/api"], status: "connected" });
    expect(row?.tokenEncrypted).not.toContain(TOKEN);
    const audit = box.deps.db.select().from(auditEvents).where(eq(auditEvents.action, "github.connected")).all();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(TOKEN);
  });

  test("with repositories named, commits are read from each with author, since and until", async () => {
    github.commits.push({
      repository: "acme/api",
      sha: "d1",
      message: "Add route",
      at: "2025-01-08T10:00:00Z",
      author: "mo-dev",
    });
    const response = await box.fetch("/api/v1/timesheets/draft?week=2025-01-06", { headers: member });
    const draft = (await response.json()) as { suggestions: { key: string; minutes: number }[] };
    expect(draft.suggestions).toEqual([expect.objectContaining({ key: "2025-01-08:gh:acme/api", minutes: 30 })]);
    const asked = github.requests
      .filter((request) => request.path.startsWith("/repos/"))
      .map((request) => request.path);
    expect(asked).toEqual([
      "/repos/acme/site/commits?author=mo-dev&since=2025-01-06T00%3A00%3A00Z&until=2025-01-12T23%3A59%3A59Z&per_page=100",
      "/repos/acme/api/commits?author=mo-dev&since=2025-01-06T00%3A00%3A00Z&until=2025-01-12T23%3A59%3A59Z&per_page=100",
    ]);
  });

  test("another organisation's admin sees no connection, and disconnecting there leaves the member's alone", async () => {
    const page = await box.fetch("/account/github", { headers: otherAdmin });
    expect(await page.text()).toContain("Not connected.");
    await post("/account/github/disconnect", otherAdmin);
    expect(connectionOf(memberId)).toBeDefined();
  });

  test("disconnecting deletes the token", async () => {
    const response = await post("/account/github/disconnect", member);
    expect(await response.text()).toContain("GitHub is disconnected and the token deleted.");
    expect(connectionOf(memberId)).toBeUndefined();
  });
});
