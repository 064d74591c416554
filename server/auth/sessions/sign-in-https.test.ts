import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { createUser, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { apiCall, sessionCookieFrom, signIn } from "../../testing/sign-in.ts";

describe("over https", () => {
  let secure: TestApp;
  let email: string;
  beforeAll(async () => {
    secure = await startInProcessApp({ env: { OPSBOX_BASE_URL: "https://opsbox.example.test" } });
    const org = await setUpBox(secure);
    email = "secure@example.com";
    await createUser(secure, { orgId: org.orgId, role: "viewer", email });
  });
  afterAll(() => secure.close());

  test("the session cookie is __Host-opsbox_session with Secure, HttpOnly, SameSite=Lax and no Domain", async () => {
    const { response } = await signIn(secure, email);
    expect(response.headers.get("HX-Redirect")).toBe("/");
    const header = response.headers.getSetCookie().find((cookie) => cookie.startsWith("__Host-opsbox_session="));
    expect(header).toBeDefined();
    for (const flag of ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"]) expect(header).toContain(flag);
    expect(header).not.toContain("Domain");
    const cookie = sessionCookieFrom(secure, response);
    expect((await apiCall(secure, "GET", "/api/v1/me", cookie)).status).toBe(200);
    expect((await apiCall(secure, "GET", "/api/v1/me", cookie?.replace("__Host-", "") ?? null)).status).toBe(401);
  });
});
