import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { approvalNudgerAgent } from "../../agents/approval-nudger.ts";
import { publishRunEvent } from "../../agents/run.ts";
import { stuckTasksAgent } from "../../agents/stuck-tasks.ts";
import { openSse, settle } from "../../events/sse-test-kit.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";

let box: TestApp;
let acme = "";
let globex = "";
let acmeMember = "";
let globexAdmin = "";

beforeAll(async () => {
  box = await startTestApp();
  acme = (await setUpBox(box)).orgId;
  acmeMember = sessionCookie(box, await createUser(box, { orgId: acme, role: "member" }), acme);
  const other = await createOrganization(box, "Globex");
  globex = other.orgId;
  globexAdmin = sessionCookie(box, other.adminId, globex);
});
afterAll(() => box.close());

async function agentSection(cookie: string): Promise<string> {
  const html = await (await box.fetch("/", { headers: { Cookie: cookie } })).text();
  const start = html.indexOf('<section id="pulse-agents"');
  return start < 0 ? "" : html.slice(start, html.indexOf("</section>", start));
}

describe("the Pulse's agent activity", () => {
  test("says so when no agent has run", async () => {
    const section = await agentSection(globexAdmin);
    expect(section).toContain("Agent activity");
    expect(section).toContain("No agent has run lately.");
    expect(section).toContain('href="/agents"');
  });

  test("lists how the organisation's own agent runs ended, newest first, never another's", async () => {
    const now = new Date();
    publishRunEvent(box.deps.db, acme, stuckTasksAgent, "agent.run.started", { runId: "run_1" }, now);
    const done = { runId: "run_1", text: "Flagged 2 task(s) as stuck; told 1 person(s)." };
    publishRunEvent(box.deps.db, acme, stuckTasksAgent, "agent.run.succeeded", done, now);
    const failed = { runId: "run_2", text: "database is locked" };
    publishRunEvent(box.deps.db, acme, approvalNudgerAgent, "agent.run.failed", failed, now);
    const secret = { runId: "run_3", text: "Globex secret work" };
    publishRunEvent(box.deps.db, globex, stuckTasksAgent, "agent.run.succeeded", secret, now);
    const section = await agentSection(acmeMember);
    expect(section).toContain('<a href="/agents/approval-nudger">Approval nudger</a> failed: database is locked');
    expect(section).toContain(
      '<a href="/agents/stuck-tasks">Stuck-task agent</a> finished: Flagged 2 task(s) as stuck; told 1 person(s).',
    );
    expect(section.indexOf("Approval nudger")).toBeLessThan(section.indexOf("Stuck-task agent"));
    expect(section).not.toContain("Globex");
    expect(section.match(/<li /g)).toHaveLength(2); // the start is not an outcome
    expect(await agentSection(globexAdmin)).toContain("Globex secret work");
  });

  test("a run that ends refreshes the section live, for its organisation only", async () => {
    const mine = await openSse(box, "/pulse/stream", { Cookie: acmeMember });
    const theirs = await openSse(box, "/pulse/stream", { Cookie: globexAdmin });
    try {
      const result = { runId: "run_4", text: "Nudged 1 approval request(s); sent 1 e-mail(s)." };
      publishRunEvent(box.deps.db, acme, approvalNudgerAgent, "agent.run.succeeded", result, new Date());
      const [message] = await mine.waitFor(1);
      const data = message?.data ?? "";
      expect(data).toContain('<hx-partial hx-target="#pulse-agents" hx-swap="outerHTML"><section id="pulse-agents"');
      expect(data).toMatch(/id="pulse-agents"[\s\S]*Approval nudger<\/a> finished: Nudged 1 approval request/);
      await settle();
      expect(theirs.messages.map((item) => item.data).join("")).toBe("");
    } finally {
      await Promise.all([mine.close(), theirs.close()]);
    }
  });
});
