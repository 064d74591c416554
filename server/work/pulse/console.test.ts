import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { customRoles } from "../../../models/identity.ts";
import { createApiKey } from "../../auth/keys/api-keys.ts";
import { permissions } from "../../auth/roles/permissions.ts";
import { eventIdsOf } from "../../events/ids.ts";
import { type EventInput, publishEvent } from "../../events/publish.ts";
import { openSse, settle } from "../../events/sse-test-kit.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { addDays, todayUtc, weekStartOf } from "../../tools/days.ts";
import { newId } from "../../tools/ids.ts";
import { hoursAgo, insertInvoice, insertTask, insertTimeEntry } from "./pulse-test-kit.ts";

let box: TestApp;
let orgId = "";
let otherOrgId = "";
let adminId = "";
let managerId = "";
let memberId = "";
let viewerId = "";
const cookies: Record<"admin" | "manager" | "member" | "viewer" | "other", string> = {
  admin: "",
  manager: "",
  member: "",
  viewer: "",
  other: "",
};

beforeAll(async () => {
  box = await startTestApp();
  const acme = await setUpBox(box);
  orgId = acme.orgId;
  adminId = acme.adminId;
  managerId = await createUser(box, { orgId, role: "manager", name: "Mia Manager" });
  memberId = await createUser(box, { orgId, role: "member", name: "Mo Member" });
  viewerId = await createUser(box, { orgId, role: "viewer", name: "Vic Viewer" });
  const globex = await createOrganization(box, "Globex");
  otherOrgId = globex.orgId;
  cookies.admin = sessionCookie(box, adminId, orgId);
  cookies.manager = sessionCookie(box, managerId, orgId);
  cookies.member = sessionCookie(box, memberId, orgId);
  cookies.viewer = sessionCookie(box, viewerId, orgId);
  cookies.other = sessionCookie(box, globex.adminId, otherOrgId);

  const now = new Date();
  insertTask(box, orgId, { title: "Mo's fresh task", assigneeId: memberId, dueAt: hoursAgo(-72, now) });
  insertTask(box, orgId, { title: "Mo's late task", assigneeId: memberId, dueAt: hoursAgo(30, now) });
  insertTask(box, orgId, { title: "Mo's quiet task", assigneeId: memberId }, hoursAgo(60, now));
  insertTask(box, orgId, { title: "Mo's finished task", assigneeId: memberId, status: "done" }, hoursAgo(90, now));
  insertTask(box, orgId, { title: "Mia's quiet task", assigneeId: managerId }, hoursAgo(50, now));
  insertTask(box, orgId, { title: "Nobody's quiet task" }, hoursAgo(100, now));
  insertTask(box, otherOrgId, { title: "Globex quiet task" }, hoursAgo(100, now));

  insertInvoice(box, orgId, { number: "INV-0001", status: "overdue", dueDate: "2020-02-01" });
  insertInvoice(box, orgId, { number: "INV-0002", status: "sent", dueDate: "2020-03-01" });
  insertInvoice(box, orgId, { number: "INV-0003", status: "sent", dueDate: "2999-01-01" });
  insertInvoice(box, orgId, { number: "INV-0004", status: "paid", dueDate: "2020-01-01" });
  insertInvoice(box, otherOrgId, { number: "GLX-0001", status: "overdue", dueDate: "2020-01-01" });

  const monday = weekStartOf(todayUtc(now));
  insertTimeEntry(box, orgId, memberId, monday, 90);
  insertTimeEntry(box, orgId, memberId, addDays(monday, 6), 45);
  insertTimeEntry(box, orgId, memberId, addDays(monday, -1), 600);
  insertTimeEntry(box, orgId, managerId, monday, 300);
});
afterAll(() => box.close());

async function pulseOf(who: keyof typeof cookies): Promise<string> {
  const response = await box.fetch("/", { headers: { Cookie: cookies[who] } });
  expect(response.status).toBe(200);
  return await response.text();
}

/** The HTML of one section of the page. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  if (start < 0) return "";
  return html.slice(start, html.indexOf("</section>", start));
}

function publish(org: string, input: Partial<EventInput> & { summary: string }, actor: string | null = null) {
  return box.deps.db.transaction((tx) =>
    publishEvent(
      tx,
      { orgId: org, userId: actor },
      { type: "task.updated", subjectType: "task", subjectId: "tsk_x", ...input },
    ),
  );
}

describe("GET / (the Pulse)", () => {
  test("a member sees their open, overdue and quiet tasks, and only their own", async () => {
    const html = await pulseOf("member");
    const mine = section(html, "pulse-my-tasks");
    expect(mine).toContain("Mo&#39;s fresh task");
    expect(mine).toContain("Mo&#39;s late task");
    expect(mine).not.toContain("finished");
    expect(section(html, "pulse-overdue")).toContain("Mo&#39;s late task");
    expect(section(html, "pulse-overdue")).not.toContain("fresh");
    const stale = section(html, "pulse-stale");
    expect(stale).toContain("Mo&#39;s quiet task");
    expect(stale).not.toContain("Mia");
    expect(stale).not.toContain("Nobody");
  });

  test("a manager's quiet tasks are the whole organisation's, never another's", async () => {
    const stale = section(await pulseOf("manager"), "pulse-stale");
    for (const title of ["Mo&#39;s quiet task", "Mia&#39;s quiet task", "Nobody&#39;s quiet task"]) {
      expect(stale).toContain(title);
    }
    expect(stale).not.toContain("Globex");
    expect(stale).not.toContain("finished");
    // The longest quiet first.
    expect(stale.indexOf("Nobody")).toBeLessThan(stale.indexOf("Mia"));
  });

  test("overdue invoices only for people who manage invoices, and only of their organisation", async () => {
    const invoicesOf = async (who: keyof typeof cookies) => section(await pulseOf(who), "pulse-invoices");
    const manager = await invoicesOf("manager");
    expect(manager).toContain("INV-0001");
    expect(manager).toContain("INV-0002");
    expect(manager).not.toContain("INV-0003");
    expect(manager).not.toContain("INV-0004");
    expect(manager).not.toContain("GLX");
    expect(manager).toContain('href="/invoices?status=overdue"');
    expect(await invoicesOf("member")).toBe("");
    expect(await invoicesOf("viewer")).toBe("");
  });

  test("my hours this week add up my entries from Monday to Sunday", async () => {
    const hours = section(await pulseOf("member"), "pulse-hours");
    expect(hours).toContain("<strong>2 h 15</strong>");
    expect(section(await pulseOf("manager"), "pulse-hours")).toContain("<strong>5 h</strong>");
    expect(section(await pulseOf("viewer"), "pulse-hours")).toContain("No time logged yet this week.");
  });

  test("approvals waiting on me show for people who decide, with an empty state", async () => {
    expect(section(await pulseOf("member"), "pulse-approvals")).toContain("Nothing is waiting on your decision.");
    expect(section(await pulseOf("viewer"), "pulse-approvals")).toBe("");
  });

  test("each section links on and says what to do when empty", async () => {
    const html = await pulseOf("viewer");
    expect(section(html, "pulse-my-tasks")).toContain("Nothing is assigned to you.");
    expect(section(html, "pulse-my-tasks")).toContain('href="/tasks/mine"');
    expect(section(html, "pulse-hours")).toContain('href="/time"');
  });

  test("the feed shows the latest 20 events the person may see, newest first", async () => {
    const org = await createOrganization(box, "Feedco");
    const viewer = await createUser(box, { orgId: org.orgId, role: "viewer" });
    for (let index = 1; index <= 22; index++) publish(org.orgId, { summary: `feed event ${index}` });
    publish(org.orgId, { summary: "feed invoice", type: "invoice.created" });
    publish(orgId, { summary: "acme only" });
    const html = await (await box.fetch("/", { headers: { Cookie: sessionCookie(box, viewer, org.orgId) } })).text();
    const items = [...html.matchAll(/class="feed-summary">(?:<a [^>]*>)?([^<]+)/g)].map((match) => match[1]);
    expect(items).toEqual(Array.from({ length: 20 }, (_, index) => `feed event ${22 - index}`));
    const admin = await (
      await box.fetch("/", { headers: { Cookie: sessionCookie(box, org.adminId, org.orgId) } })
    ).text();
    expect(admin).toContain("feed invoice");
  });

  test("the live connection resumes after the newest event on the page", async () => {
    const last = publish(orgId, { summary: "newest on the page" });
    const html = await pulseOf("viewer");
    expect(html).toContain(
      `hx-sse:connect="/pulse/stream?after=${eventIdsOf(box.deps.keyring, orgId).idOf(last.seq)}"`,
    );
  });

  test("anonymous visitors are sent to sign in", async () => {
    const response = await box.fetch("/");
    expect(response.status).toBe(303);
  });

  test("a custom role without workspace.read gets a notice, no sections, no feed and no stream", async () => {
    const html = await (await box.fetch("/", { headers: { Cookie: await outsiderCookie() } })).text();
    expect(html).toContain("Your role does not include reading the workspace.");
    expect(html).not.toContain('id="pulse-my-tasks"');
    expect(html).not.toContain("hx-sse:connect");
    expect(html).not.toContain("feed-item");
  });
});

/** A person whose custom role may upload documents and nothing else. */
async function outsiderCookie(): Promise<string> {
  const roleId = newId("rol");
  box.deps.db
    .insert(customRoles)
    .values({ id: roleId, orgId, name: `Uploader ${roleId}`, permissions: ["documents.upload"] })
    .run();
  return sessionCookie(box, await createUser(box, { orgId, role: roleId }), orgId);
}

describe("GET /pulse/stream", () => {
  test("refuses anonymous callers and API keys (it is the console's)", async () => {
    const anonymous = await box.fetch("/pulse/stream");
    expect(anonymous.status).toBe(303);
    const key = createApiKey(
      box.deps.db,
      { orgId, userId: adminId, name: "pulse", scopes: [...permissions], expiresAt: null },
      new Set(permissions),
    ).key;
    const withKey = await box.fetch("/pulse/stream", { headers: { Authorization: `Bearer ${key}` } });
    expect(withKey.status).toBe(403);
    const outsider = await box.fetch("/pulse/stream", { headers: { Cookie: await outsiderCookie() } });
    expect(outsider.status).toBe(403);
  });

  test("an event about my task adds a feed item and refreshes my sections", async () => {
    const stream = await openSse(box, "/pulse/stream", { Cookie: cookies.member, "HX-Request": "true" });
    try {
      const taskId = insertTask(box, orgId, { title: "Freshly assigned", assigneeId: memberId });
      publish(
        orgId,
        {
          type: "task.created",
          subjectId: taskId,
          summary: "Mia assigned “Freshly assigned” to Mo",
          audience: [memberId],
        },
        managerId,
      );
      const [message] = await stream.waitFor(1);
      expect(message?.id).toMatch(/^evt_[\w-]{22}$/);
      expect(message?.event).toBeNull();
      const data = message?.data ?? "";
      expect(data).toContain('<hx-partial hx-target="#pulse-feed-list" hx-swap="afterbegin">');
      expect(data).toContain("Mia assigned “Freshly assigned” to Mo");
      expect(data).toContain(`href="/tasks/${taskId}"`);
      expect(data).toContain(
        '<hx-partial hx-target="#pulse-my-tasks" hx-swap="outerHTML"><section id="pulse-my-tasks"',
      );
      expect(data).toMatch(/id="pulse-my-tasks"[\s\S]*Freshly assigned/);
      expect(data).toContain('hx-target="#pulse-hours"');
    } finally {
      await stream.close();
    }
  });

  test("someone else's event only adds a feed item; a task of mine refreshes even without me in its audience", async () => {
    const stream = await openSse(box, "/pulse/stream", { Cookie: cookies.member });
    try {
      publish(orgId, { summary: "Mia renamed her own task", audience: [managerId] }, managerId);
      const [first] = await stream.waitFor(1);
      expect(first?.data).toContain("Mia renamed her own task");
      expect(first?.data).not.toContain("#pulse-my-tasks");
      const taskId = insertTask(box, orgId, { title: "Commented task", assigneeId: memberId });
      publish(orgId, { type: "task.commented", subjectId: taskId, summary: "Mia commented" }, managerId);
      const [, second] = await stream.waitFor(2);
      expect(second?.data).toContain("#pulse-my-tasks");
    } finally {
      await stream.close();
    }
  });

  test("invoice events reach neither a viewer's feed nor their sections; a manager's invoices section refreshes", async () => {
    const viewer = await openSse(box, "/pulse/stream", { Cookie: cookies.viewer });
    const manager = await openSse(box, "/pulse/stream", { Cookie: cookies.manager });
    try {
      publish(orgId, {
        type: "invoice.status_changed",
        subjectType: "invoice",
        subjectId: "inv_x",
        summary: "Invoice INV-0009: Sent → Overdue",
      });
      const [forManager] = await manager.waitFor(1);
      expect(forManager?.data).toContain("Invoice INV-0009");
      expect(forManager?.data).toContain('hx-target="#pulse-invoices"');
      await settle();
      expect(viewer.messages.map((message) => message.data).join("")).toBe("");
    } finally {
      await Promise.all([viewer.close(), manager.close()]);
    }
  });

  test("another organisation's events never arrive", async () => {
    const stream = await openSse(box, "/pulse/stream", { Cookie: cookies.other });
    try {
      publish(orgId, { summary: "acme private" });
      publish(otherOrgId, { summary: "globex news" });
      await stream.waitFor(1);
      await settle();
      expect(stream.messages.map((message) => message.data).join("")).not.toContain("acme private");
      expect(stream.messages[0]?.data).toContain("globex news");
    } finally {
      await stream.close();
    }
  });

  test("Last-Event-ID replays what the page missed", async () => {
    const mark = publish(orgId, { summary: "before the drop" });
    publish(orgId, { summary: "during the drop" });
    const stream = await openSse(box, "/pulse/stream", {
      Cookie: cookies.viewer,
      "Last-Event-ID": `${eventIdsOf(box.deps.keyring, orgId).idOf(mark.seq)}`,
    });
    try {
      const [message] = await stream.waitFor(1);
      expect(message?.data).toContain("during the drop");
      expect(message?.data).not.toContain("before the drop");
    } finally {
      await stream.close();
    }
  });
});
