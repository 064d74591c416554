import { afterAll, beforeAll, expect, test } from "bun:test";
import { createApiKey } from "../auth/keys/api-keys.ts";
import { openSse, settle } from "../events/sse-test-kit.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { apiAs, type Call } from "../work/approvals/test-kit.ts";

let box: TestApp;
let orgId = "";
let max = "";
let asMia: Call;

beforeAll(async () => {
  box = await startTestApp();
  orgId = (await setUpBox(box)).orgId;
  const mia = await createUser(box, { orgId, role: "manager", name: "Mia" });
  max = await createUser(box, { orgId, role: "member", name: "Max" });
  asMia = apiAs(box, mia, orgId);
});
afterAll(() => box.close());

test("the bell's count and list follow new notifications live, and stay quiet for events that are not mine", async () => {
  const stream = await openSse(box, "/notifications/stream", {
    Cookie: sessionCookie(box, max, orgId),
    "HX-Request": "true",
  });
  try {
    expect(stream.response.status).toBe(200);
    await asMia("POST", "/api/v1/tasks", { title: "Not for Max" });
    await settle();
    expect(stream.messages).toHaveLength(0);
    await asMia("POST", "/api/v1/tasks", { title: "Fix the boiler", assigneeId: max });
    const [first] = await stream.waitFor(1);
    expect(first?.id).toMatch(/^evt_/);
    expect(first?.data).toContain('<hx-partial hx-target="#notification-bell-summary" hx-swap="outerHTML">');
    expect(first?.data).toContain('aria-label="Notifications, 1 unread"');
    expect(first?.data).toContain('<span class="notification-bell-badge" aria-hidden="true">1</span>');
    expect(first?.data).toContain('<hx-partial hx-target="#notification-bell-list" hx-swap="innerHTML">');
    expect(first?.data).toContain("Mia assigned “Fix the boiler” to you");
    await asMia("POST", "/api/v1/tasks", { title: "And the tap", assigneeId: max });
    const [, second] = await stream.waitFor(2);
    expect(second?.data).toContain("Notifications, 2 unread");
  } finally {
    await stream.close();
  }
});

test("the stream is for console sessions only: an API key is refused, and no session is sent to sign in", async () => {
  const { key } = createApiKey(
    box.deps.db,
    { orgId, userId: max, name: "bell", scopes: ["workspace.read"], expiresAt: null },
    new Set(["workspace.read"]),
  );
  const withKey = await box.fetch("/notifications/stream", { headers: { Authorization: `Bearer ${key}` } });
  expect(withKey.status).toBe(403);
  const anonymous = await box.fetch("/notifications/stream", { redirect: "manual" });
  expect(anonymous.status).toBe(303);
});
