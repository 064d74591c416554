import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApiKey } from "../auth/keys/api-keys.ts";
import { rolePermissions } from "../auth/roles/permissions.ts";
import type { TestApp } from "../testing/harness.ts";
import { sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { csrfToken } from "./csrf.ts";
import { requireAuth } from "./guards.ts";

let box: TestApp;
let origin: string;
let cookie: string;
let token: string;
let apiKey: string;

beforeAll(async () => {
  box = await startInProcessApp({
    extend: (app) => {
      app.post("/test-state-change", requireAuth(), (c) => c.json({ changed: true }));
      app.get("/test-state-change", requireAuth(), (c) => c.json({ read: true }));
    },
  });
  origin = new URL(box.url).origin;
  const { orgId, adminId } = await setUpBox(box);
  cookie = sessionCookie(box, adminId, orgId);
  token = csrfToken(box.config.secretKey, cookie.split("=")[1]?.split(".")[0] ?? "");
  apiKey = createApiKey(
    box.deps.db,
    { orgId, userId: adminId, name: "csrf test", scopes: ["workspace.read"], expiresAt: null },
    rolePermissions.admin,
  ).key;
});
afterAll(() => box.close());

function post(headers: Record<string, string>, body?: BodyInit) {
  return box.fetch("/test-state-change", { method: "POST", headers, body });
}

function form(fields: Record<string, string>): { headers: Record<string, string>; body: string } {
  return {
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}

describe("cookie-authenticated state changes", () => {
  test("a cross-site Origin is refused with 403", async () => {
    const response = await post({ Cookie: cookie, Origin: "https://evil.example", "HX-Request": "true" });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("This request came from another site and was refused.");
  });

  test("a cross-site Referer without Origin is refused too", async () => {
    const response = await post({ Cookie: cookie, Referer: "https://evil.example/page", "HX-Request": "true" });
    expect(response.status).toBe(403);
  });

  test("neither Origin nor Referer → 403", async () => {
    expect((await post({ Cookie: cookie, "HX-Request": "true" })).status).toBe(403);
  });

  test("same Origin but neither the htmx header nor a token → 403", async () => {
    const response = await post({ Cookie: cookie, Origin: origin });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("The form has expired.");
  });

  test("same Origin with the htmx header → allowed", async () => {
    expect((await post({ Cookie: cookie, Origin: origin, "HX-Request": "true" })).status).toBe(200);
  });

  test("same Origin with the form's _csrf token → allowed; a wrong or another session's token → 403", async () => {
    const good = form({ _csrf: token, name: "x" });
    expect((await post({ Cookie: cookie, Origin: origin, ...good.headers }, good.body)).status).toBe(200);
    const wrong = form({ _csrf: `${token.slice(0, -2)}xx` });
    expect((await post({ Cookie: cookie, Origin: origin, ...wrong.headers }, wrong.body)).status).toBe(403);
    const foreign = form({ _csrf: csrfToken(box.config.secretKey, "another-session") });
    expect((await post({ Cookie: cookie, Origin: origin, ...foreign.headers }, foreign.body)).status).toBe(403);
  });

  test("the token may come as an X-CSRF-Token header", async () => {
    expect((await post({ Cookie: cookie, Origin: origin, "X-CSRF-Token": token })).status).toBe(200);
  });

  test("safe methods are not checked", async () => {
    const response = await box.fetch("/test-state-change", {
      headers: { Cookie: cookie, Origin: "https://evil.example" },
    });
    expect(response.status).toBe(200);
  });
});

describe("API-key requests", () => {
  test("a Bearer request needs no Origin, htmx header or token", async () => {
    const response = await post({ Authorization: `Bearer ${apiKey}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ changed: true });
  });

  test("the real console form: a plain POST with the page's _csrf token creates a key, without it 403", async () => {
    const page = await (await box.fetch("/settings/api-keys", { headers: { Cookie: cookie } })).text();
    const embedded = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(embedded).toBe(token);
    const fields = { name: "Plain form", scopes: "workspace.read", expiresOn: "" };
    const withToken = form({ ...fields, _csrf: token });
    const created = await box.fetch("/settings/api-keys", {
      method: "POST",
      headers: { Cookie: cookie, Origin: origin, ...withToken.headers },
      body: withToken.body,
    });
    expect(created.status).toBe(200);
    expect(await created.text()).toMatch(/obx_[a-z2-9]{8}_[a-z2-9]{32}/);
    const withoutToken = form(fields);
    const refused = await box.fetch("/settings/api-keys", {
      method: "POST",
      headers: { Cookie: cookie, Origin: origin, ...withoutToken.headers },
      body: withoutToken.body,
    });
    expect(refused.status).toBe(403);
  });
});
