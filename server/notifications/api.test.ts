import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApiKey } from "../auth/keys/api-keys.ts";
import type { TestApp } from "../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { apiAs, type Call, errorOf, jsonOf } from "../work/approvals/test-kit.ts";
import { notificationsOf } from "./test-kit.ts";

type Page = {
  data: { id: string; title: string; read: boolean; link: string }[];
  nextCursor: string | null;
  unread: number;
};

let box: TestApp;
let orgId = "";
let globex = { orgId: "", adminId: "" };
let adminId = "";
let mia = "";
let max = "";
let asMia: Call;
let asMax: Call;
let asAdmin: Call;
let asGlobex: Call;

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  orgId = acme.orgId;
  adminId = acme.adminId;
  globex = await createOrganization(box, "Globex");
  mia = await createUser(box, { orgId, role: "manager", name: "Mia" });
  max = await createUser(box, { orgId, role: "member", name: "Max" });
  asMia = apiAs(box, mia, orgId);
  asMax = apiAs(box, max, orgId);
  asAdmin = apiAs(box, adminId, orgId);
  asGlobex = apiAs(box, globex.adminId, globex.orgId);
  for (const title of ["One", "Two", "Three"]) await asMia("POST", "/api/v1/tasks", { title, assigneeId: max });
  notificationsOf(box, orgId, max);
});
afterAll(() => box.close());

describe("GET /api/v1/notifications", () => {
  test("lists my own notifications newest first, paged by an opaque cursor, with my unread count", async () => {
    const first = await jsonOf<Page>(await asMax("GET", "/api/v1/notifications?limit=2"), 200);
    expect(first.data.map((row) => row.title)).toEqual(["Mia assigned “Three” to you", "Mia assigned “Two” to you"]);
    expect(first.unread).toBe(3);
    const second = await jsonOf<Page>(
      await asMax("GET", `/api/v1/notifications?limit=2&cursor=${first.nextCursor}`),
      200,
    );
    expect(second.data.map((row) => row.title)).toEqual(["Mia assigned “One” to you"]);
    expect(second.nextCursor).toBeNull();
    expect((await asMax("GET", "/api/v1/notifications?cursor=nope")).status).toBe(422);
  });

  test("another person of the organisation, an admin included, sees none of mine", async () => {
    expect((await jsonOf<Page>(await asAdmin("GET", "/api/v1/notifications"), 200)).data).toEqual([]);
    expect((await jsonOf<Page>(await asGlobex("GET", "/api/v1/notifications"), 200)).data).toEqual([]);
  });

  test("an API key without workspace.read is forbidden", async () => {
    const { key } = createApiKey(
      box.deps.db,
      { orgId, userId: max, name: "ask only", scopes: ["assistant.ask"], expiresAt: null },
      new Set(["assistant.ask", "workspace.read"]),
    );
    const response = await box.fetch("/api/v1/notifications", { headers: { Authorization: `Bearer ${key}` } });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe("forbidden");
  });
});

describe("marking read", () => {
  test("another person's or organisation's notification is a 404, and stays unread", async () => {
    const [mine] = (await jsonOf<Page>(await asMax("GET", "/api/v1/notifications"), 200)).data;
    for (const call of [asAdmin, asMia, asGlobex]) {
      const response = await call("POST", `/api/v1/notifications/${mine?.id}/read`);
      expect(response.status).toBe(404);
      expect((await errorOf(response)).code).toBe("not_found");
    }
    await asGlobex("POST", "/api/v1/notifications/read-all");
    await asAdmin("POST", "/api/v1/notifications/read-all");
    expect((await jsonOf<Page>(await asMax("GET", "/api/v1/notifications"), 200)).unread).toBe(3);
  });

  test("I mark one read, then all", async () => {
    const [newest] = (await jsonOf<Page>(await asMax("GET", "/api/v1/notifications"), 200)).data;
    const read = await jsonOf<{ read: boolean; readAt: string }>(
      await asMax("POST", `/api/v1/notifications/${newest?.id}/read`),
      200,
    );
    expect(read.read).toBe(true);
    const unread = await jsonOf<Page>(await asMax("GET", "/api/v1/notifications?unread=true"), 200);
    expect(unread.data).toHaveLength(2);
    expect(unread.unread).toBe(2);
    expect((await asMax("POST", "/api/v1/notifications/read-all")).status).toBe(204);
    expect((await jsonOf<Page>(await asMax("GET", "/api/v1/notifications"), 200)).unread).toBe(0);
  });
});

describe("/api/v1/me/notification-preferences", () => {
  type Prefs = {
    choices: Record<string, { console: boolean; email: boolean }>;
    source: string;
    kinds: { kind: string }[];
  };

  test("starts from the organisation's defaults and lists only the kinds that can reach me", async () => {
    const prefs = await jsonOf<Prefs>(await asMax("GET", "/api/v1/me/notification-preferences"), 200);
    expect(prefs.source).toBe("organization");
    expect(prefs.choices.task_assigned).toEqual({ console: true, email: true });
    expect(prefs.kinds.map((kind) => kind.kind)).not.toContain("invoice_status");
    const mine = await jsonOf<Prefs>(await asMia("GET", "/api/v1/me/notification-preferences"), 200);
    expect(mine.kinds.map((kind) => kind.kind)).toContain("invoice_status");
  });

  test("PUT changes only what it names, and only for me in this organisation", async () => {
    const changed = await jsonOf<Prefs>(
      await asMax("PUT", "/api/v1/me/notification-preferences", { choices: { task_comment: { email: false } } }),
      200,
    );
    expect(changed.source).toBe("personal");
    expect(changed.choices.task_comment).toEqual({ console: true, email: false });
    expect(changed.choices.task_assigned).toEqual({ console: true, email: true });
    const others = await jsonOf<Prefs>(await asMia("GET", "/api/v1/me/notification-preferences"), 200);
    expect(others.choices.task_comment).toEqual({ console: true, email: true });
    const reset = await jsonOf<Prefs>(
      await asMax("PUT", "/api/v1/me/notification-preferences", { useOrganizationDefaults: true }),
      200,
    );
    expect(reset.source).toBe("organization");
  });

  test("an unknown kind or a non-boolean is a 422 on its field", async () => {
    const unknown = await asMax("PUT", "/api/v1/me/notification-preferences", { choices: { gossip: { email: true } } });
    expect(unknown.status).toBe(422);
    const notBoolean = await asMax("PUT", "/api/v1/me/notification-preferences", {
      choices: { task_assigned: { email: "yes" } },
    });
    expect(notBoolean.status).toBe(422);
    expect((await errorOf(notBoolean)).details?.[0]?.path).toContain("task_assigned");
  });
});

describe("console", () => {
  test("opening a notification marks it read and leads to its record; someone else's is a 404", async () => {
    await asMia("POST", "/api/v1/tasks", { title: "Four", assigneeId: max });
    const [four] = notificationsOf(box, orgId, max).slice(-1);
    const cookie = sessionCookie(box, max, orgId);
    const origin = new URL(box.url).origin;
    const plainPost = {
      method: "POST",
      redirect: "manual" as const,
      headers: { Cookie: cookie, Origin: origin, "HX-Request": "true" },
    };
    const other = await box.fetch(`/notifications/${four?.id}/open`, {
      ...plainPost,
      headers: consoleHeaders(box, sessionCookie(box, globex.adminId, globex.orgId)),
    });
    expect(other.status).toBe(404);
    const opened = await box.fetch(`/notifications/${four?.id}/open`, plainPost);
    expect(opened.headers.get("HX-Redirect")).toBe(four?.link ?? "");
    expect(notificationsOf(box, orgId, max).at(-1)?.readAt).not.toBeNull();
  });

  test("the list page shows my notifications without JavaScript, and Settings → Notifications is for admins", async () => {
    const page = await box.fetch("/notifications", { headers: { Cookie: sessionCookie(box, max, orgId) } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Mia assigned “Four” to you");
    expect(html).toContain('id="notification-bell"');
    const forbidden = await box.fetch("/settings/notifications", {
      method: "POST",
      headers: {
        ...consoleHeaders(box, sessionCookie(box, mia, orgId)),
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "task_assigned.console=on",
    });
    expect(forbidden.status).toBe(403);
  });

  test("an admin's defaults form saves what is ticked; a person's form saves their own choices", async () => {
    const form = (cookie: string, path: string, body: string) =>
      box.fetch(path, {
        method: "POST",
        headers: { ...consoleHeaders(box, cookie), "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
    const saved = await form(sessionCookie(box, adminId, orgId), "/settings/notifications", "task_assigned.console=on");
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("The notification defaults are saved.");
    const prefs = await jsonOf<{ choices: Record<string, { console: boolean; email: boolean }> }>(
      await asMia("GET", "/api/v1/me/notification-preferences"),
      200,
    );
    expect(prefs.choices.task_assigned).toEqual({ console: true, email: false });
    expect(prefs.choices.approval_waiting).toEqual({ console: false, email: false });
    const mine = await form(sessionCookie(box, max, orgId), "/account/notifications", "approval_waiting.email=on");
    expect(await mine.text()).toContain("Your notification choices are saved.");
    const maxPrefs = await jsonOf<{ choices: Record<string, { console: boolean; email: boolean }>; source: string }>(
      await asMax("GET", "/api/v1/me/notification-preferences"),
      200,
    );
    expect(maxPrefs.source).toBe("personal");
    expect(maxPrefs.choices.approval_waiting).toEqual({ console: false, email: true });
  });
});
