import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { sessions } from "../../../models/identity.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { apiCall, auditActionsOf, enableTotp, postForm, totpCode } from "../../testing/sign-in.ts";
import { totpStepAt } from "../two-factor/totp.ts";

let box: TestApp;
let acme: TestBox;
beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
});
afterAll(() => box.close());

function sessionIdOf(cookie: string): string {
  return cookie.split("=")[1]?.split(".")[0] ?? "";
}

async function page(cookie: string, path = "/account"): Promise<Response> {
  return box.fetch(path, { headers: { Cookie: cookie } });
}

describe("GET /account", () => {
  test("without a session it leads to the sign-in page", async () => {
    const response = await box.fetch("/account");
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/sign-in?next=%2Faccount");
  });

  test("shows who I am, my 2FA status and my sessions with this one marked, and none of anyone else's", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member", name: "Nia Member" });
    const cookie = sessionCookie(box, userId, acme.orgId);
    sessionCookie(box, userId, acme.orgId);
    const other = await createOrganization(box, "Elsewhere Ltd");
    sessionCookie(box, other.adminId, other.orgId);
    const html = await (await page(cookie)).text();
    expect(html).toContain("Nia Member");
    expect(html).toContain("at Acme Ltd");
    expect(html).toContain("Two-factor authentication");
    expect(html.match(/<tr class="session-current">/g)).toHaveLength(1);
    expect(html.match(/<tbody>[\s\S]*<\/tbody>/)?.[0].match(/<tr/g)).toHaveLength(2);
    expect(html).toContain('class="dropdown account-menu"');
  });
});

describe("changing the password on /account", () => {
  test("mismatched or weak new passwords come back at 422 without echoing any password", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const cookie = sessionCookie(box, userId, acme.orgId);
    const mismatch = await postForm(
      box,
      "/account/password",
      { currentPassword: "correct horse battery staple", newPassword: "one long passphrase", confirmPassword: "two" },
      cookie,
    );
    expect(mismatch.status).toBe(422);
    const html = await mismatch.text();
    expect(html).toContain("The two new passwords differ.");
    expect(html).not.toContain("one long passphrase");
    expect(html).not.toContain("correct horse");
    const weak = await postForm(
      box,
      "/account/password",
      { currentPassword: "correct horse battery staple", newPassword: "password1234", confirmPassword: "password1234" },
      cookie,
    );
    expect(weak.status).toBe(422);
    expect(await weak.text()).toContain("too common");
  });

  test("a change signs out every other session and is audited", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "viewer" });
    const cookie = sessionCookie(box, userId, acme.orgId);
    const other = sessionCookie(box, userId, acme.orgId);
    const response = await postForm(
      box,
      "/account/password",
      {
        currentPassword: "correct horse battery staple",
        newPassword: "lantern meadow copper violin",
        confirmPassword: "lantern meadow copper violin",
      },
      cookie,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("your other sessions were signed out");
    expect((await apiCall(box, "GET", "/api/v1/me", other)).status).toBe(401);
    expect((await apiCall(box, "GET", "/api/v1/me", cookie)).status).toBe(200);
    expect(auditActionsOf(box, userId)).toContain("auth.password_changed");
  });
});

describe("sessions on /account", () => {
  test("'sign out everywhere else' keeps this session only", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const cookie = sessionCookie(box, userId, acme.orgId);
    const others = [sessionCookie(box, userId, acme.orgId), sessionCookie(box, userId, acme.orgId)];
    const response = await postForm(box, "/account/sessions/sign-out-others", {}, cookie);
    expect(await response.text()).toContain("Signed out of 2 other sessions.");
    for (const old of others) expect((await apiCall(box, "GET", "/api/v1/me", old)).status).toBe(401);
    expect((await page(cookie)).status).toBe(200);
  });

  test("a session past its idle timeout is refused and deleted", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const cookie = sessionCookie(box, userId, acme.orgId);
    const past = new Date(Date.now() - 1000);
    box.deps.db
      .update(sessions)
      .set({ idleExpiresAt: past })
      .where(eq(sessions.id, sessionIdOf(cookie)))
      .run();
    expect((await apiCall(box, "GET", "/api/v1/me", cookie)).status).toBe(401);
    expect((await page(cookie)).headers.get("Location")).toStartWith("/sign-in");
    expect(
      box.deps.db
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdOf(cookie)))
        .get(),
    ).toBeUndefined();
  });

  test("a session past its absolute lifetime is refused even while in use", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const cookie = sessionCookie(box, userId, acme.orgId);
    box.deps.db
      .update(sessions)
      .set({ absoluteExpiresAt: new Date(Date.now() - 1000), idleExpiresAt: new Date(Date.now() + 3_600_000) })
      .where(eq(sessions.id, sessionIdOf(cookie)))
      .run();
    expect((await apiCall(box, "GET", "/api/v1/me", cookie)).status).toBe(401);
  });

  test("use slides the idle expiry forward, never past the absolute lifetime", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const cookie = sessionCookie(box, userId, acme.orgId);
    const id = sessionIdOf(cookie);
    const absolute = new Date(Date.now() + 2 * 3_600_000);
    box.deps.db
      .update(sessions)
      .set({
        lastSeenAt: new Date(Date.now() - 5 * 60_000),
        idleExpiresAt: new Date(Date.now() + 60_000),
        absoluteExpiresAt: absolute,
      })
      .where(eq(sessions.id, id))
      .run();
    expect((await apiCall(box, "GET", "/api/v1/me", cookie)).status).toBe(200);
    const row = box.deps.db.select().from(sessions).where(eq(sessions.id, id)).get();
    expect(row?.idleExpiresAt.getTime()).toBe(absolute.getTime());
  });
});

describe("2FA on /account", () => {
  test("new recovery codes need a current code and are shown once", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const key = enableTotp(box, userId);
    const cookie = sessionCookie(box, userId, acme.orgId);
    const wrong = await postForm(box, "/account/two-factor/recovery-codes", { code: "000000" }, cookie);
    expect(wrong.status).toBe(422);
    const done = await postForm(box, "/account/two-factor/recovery-codes", { code: totpCode(key) }, cookie);
    const html = await done.text();
    expect(html.match(/<li><code>[a-z2-9-]+<\/code><\/li>/g)).toHaveLength(10);
    expect(await (await page(cookie)).text()).not.toContain("Your recovery codes");
  });

  test("a member can turn 2FA off with a code; an admin is not offered it", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const key = enableTotp(box, userId);
    const cookie = sessionCookie(box, userId, acme.orgId);
    const off = await postForm(
      box,
      "/account/two-factor/disable",
      { code: totpCode(key, totpStepAt(new Date())) },
      cookie,
    );
    expect(await off.text()).toContain("Two-factor authentication is off.");
    expect(auditActionsOf(box, userId)).toContain("auth.two_factor_disabled");

    const adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
    const adminPage = await (await page(adminCookie)).text();
    expect(adminPage).not.toContain('action="/account/two-factor/disable"');
    expect(adminPage).toContain("cannot be turned off");
  });
});
