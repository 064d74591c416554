import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { setUpBox, TEST_PASSWORD } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";

let box: TestApp;
let email = "";
beforeAll(async () => {
  box = await startInProcessApp();
  email = (await setUpBox(box)).adminEmail;
});
afterAll(() => box.close());

async function login(password: string, cookie?: string, address = "203.0.113.7") {
  return box.fetch("/api/v1/auth/login", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Forwarded-For": address,
      ...(cookie ? { Cookie: cookie, Origin: new URL(box.url).origin, "HX-Request": "true" } : {}),
    },
    body: JSON.stringify({ email, password }),
  });
}

function cookieOf(response: Response): string {
  return (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

test("signing in through the API sets an HttpOnly, SameSite=Lax session cookie and says 2FA is owed", async () => {
  const response = await login(TEST_PASSWORD);
  expect(response.status).toBe(200);
  const setCookie = response.headers.get("Set-Cookie") ?? "";
  expect(setCookie).toStartWith("opsbox_session=");
  expect(setCookie).toContain("HttpOnly");
  expect(setCookie).toContain("SameSite=Lax");
  expect(await response.json()).toMatchObject({ user: { email }, twoFactor: "not_enrolled" });
});

test("signing in again ends the session the client held before", async () => {
  const first = cookieOf(await login(TEST_PASSWORD));
  const second = cookieOf(await login(TEST_PASSWORD, first));
  expect(second).not.toBe(first);
  expect((await box.fetch("/api/v1/me", { headers: { Cookie: first } })).status).toBe(401);
  expect((await box.fetch("/api/v1/me", { headers: { Cookie: second } })).status).toBe(200);
});

test("a wrong password and an unknown e-mail get the same 401 answer", async () => {
  const wrong = await login("not the password at all", undefined, "203.0.113.8");
  const unknown = await box.fetch("/api/v1/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Forwarded-For": "203.0.113.8" },
    body: JSON.stringify({ email: "nobody@example.com", password: "not the password at all" }),
  });
  expect(wrong.status).toBe(401);
  expect(unknown.status).toBe(401);
  const [a, b] = [await wrong.json(), await unknown.json()];
  expect(a.error.message).toBe(b.error.message);
  expect(a.error.code).toBe("unauthenticated");
});

test("signing out ends the session", async () => {
  const cookie = cookieOf(await login(TEST_PASSWORD));
  const out = await box.fetch("/api/v1/auth/logout", {
    method: "POST",
    headers: { Cookie: cookie, Origin: new URL(box.url).origin, "HX-Request": "true" },
  });
  expect(out.status).toBe(204);
  expect((await box.fetch("/api/v1/me", { headers: { Cookie: cookie } })).status).toBe(401);
});
