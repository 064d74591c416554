import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { authThrottles, sessions, users } from "../../../models/identity.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import {
  apiCall,
  auditActionsOf,
  enableTotp,
  postForm,
  sessionCookieFrom,
  signIn,
  totpCode,
} from "../../testing/sign-in.ts";
import { totpStepAt } from "../two-factor/totp.ts";
import { SIGN_IN_LOCKOUT, signInThrottleKeys } from "./sign-in.ts";

let box: TestApp;
let acme: TestBox;
let memberEmail: string;
let memberId: string;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  memberEmail = "mia@example.com";
  memberId = await createUser(box, { orgId: acme.orgId, role: "member", email: memberEmail, name: "Mia Member" });
});
afterAll(() => box.close());

function messageOf(html: string): string | null {
  return /role="alert">([^<]*)</.exec(html)?.[1] ?? null;
}

describe("the sign-in form", () => {
  test("GET /sign-in shows the form without the navigation", async () => {
    const response = await box.fetch("/sign-in?next=%2Faccount");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('name="email"');
    expect(html).toContain('autocomplete="current-password"');
    expect(html).toContain('value="/account"');
    expect(html).not.toContain('class="app-nav"');
  });

  test("a wrong password and an unknown e-mail get the same 422 answer, keeping the e-mail but not the password", async () => {
    let started = performance.now();
    const wrong = await signIn(box, memberEmail, "not the password at all");
    const wrongMs = performance.now() - started;
    started = performance.now();
    const unknown = await signIn(box, "nobody@example.com", "not the password at all");
    const unknownMs = performance.now() - started;
    // Both verify an argon2 hash; without the decoy an unknown e-mail would answer in a few ms.
    expect(unknownMs).toBeGreaterThan(wrongMs / 3);
    expect(wrong.response.status).toBe(422);
    expect(unknown.response.status).toBe(422);
    const wrongHtml = await wrong.response.text();
    const unknownHtml = await unknown.response.text();
    expect(messageOf(wrongHtml)).toBe("The e-mail address or password is wrong.");
    expect(messageOf(unknownHtml)).toBe(messageOf(wrongHtml));
    expect(wrongHtml).toContain(`value="${memberEmail}"`);
    expect(wrongHtml).not.toContain("not the password at all");
    expect(wrong.cookie).toBeNull();
  });

  test("empty fields come back at 422 with an error on each", async () => {
    const response = await postForm(box, "/sign-in", { email: "", password: "" });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("Enter your e-mail address.");
    expect(html).toContain("Enter your password.");
  });

  test("every sign-in starts a new session and ends the one the browser had", async () => {
    const first = await signIn(box, memberEmail);
    expect(first.response.headers.get("HX-Redirect")).toBe("/");
    expect(first.cookie).not.toBeNull();
    const second = await postForm(
      box,
      "/sign-in",
      { email: memberEmail, password: "correct horse battery staple" },
      first.cookie,
    );
    const secondCookie = sessionCookieFrom(box, second);
    expect(secondCookie).not.toBeNull();
    expect(secondCookie?.split(".")[0]).not.toBe(first.cookie?.split(".")[0]);
    expect((await apiCall(box, "GET", "/api/v1/me", first.cookie)).status).toBe(401);
    expect((await apiCall(box, "GET", "/api/v1/me", secondCookie)).status).toBe(200);
  });

  test("the session cookie is opsbox_session, HttpOnly and SameSite=Lax on a plain-http box", async () => {
    const { response } = await signIn(box, memberEmail);
    const header = response.headers.getSetCookie().find((cookie) => cookie.startsWith("opsbox_session="));
    expect(header).toBeDefined();
    expect(header).toContain("HttpOnly");
    expect(header).toContain("SameSite=Lax");
    expect(header).toContain("Path=/");
    expect(header).not.toContain("Secure");
  });

  test("`next` is followed for local paths only", async () => {
    const cases: [string, string][] = [
      ["/account", "/account"],
      ["https://evil.example/steal", "/"],
      ["//evil.example/steal", "/"],
      ["/.//evil.example/steal", "/"],
      ["/a/..//evil.example", "/"],
      ["/sign-in", "/"],
    ];
    for (const [next, expected] of cases) {
      const response = await postForm(box, "/sign-in", {
        email: memberEmail,
        password: "correct horse battery staple",
        next,
      });
      expect(response.headers.get("HX-Redirect")).toBe(expected);
    }
  });

  test("a plain form post (no htmx) is answered with 303 See Other", async () => {
    const response = await box.fetch("/sign-in", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(box.url).origin },
      body: new URLSearchParams({ email: memberEmail, password: "correct horse battery staple" }).toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/");
  });

  test("at the box-wide threshold the account is locked for this address: 429 with Retry-After and an auth.locked_out audit row", async () => {
    const strict = await createOrganization(box, "Strict Co");
    const email = "admin@strictco.test";
    expect((await signIn(box, email, "wrong password, the first try")).response.status).toBe(422);
    // The tries before the last one, without their back-off waits, from the address the first came from.
    const address = box.deps.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "auth.sign_in_failed"))
      .all()
      .findLast((event) => event.details?.email === email)?.ipAddress;
    if (!address) throw new Error("no failed sign-in recorded");
    box.deps.db
      .update(authThrottles)
      .set({ failures: SIGN_IN_LOCKOUT.lockAfter - 1, lockedUntil: null })
      .where(eq(authThrottles.key, signInThrottleKeys(email, address).pair))
      .run();
    const { response } = await signIn(box, email, "wrong password, the last try");
    expect(response.status).toBe(422);
    const locked = await signIn(box, email);
    expect(locked.response.status).toBe(429);
    expect(Number(locked.response.headers.get("Retry-After"))).toBeGreaterThan(SIGN_IN_LOCKOUT.lockMinutes * 60 - 10);
    expect(messageOf(await locked.response.text())).toStartWith("Too many failed sign-ins. Try again in");
    expect(locked.cookie).toBeNull();
    expect(auditActionsOf(box, strict.adminId)).toContain("auth.locked_out");
  });
});

describe("sign-out", () => {
  test("POST /sign-out ends the session, clears the cookie and leads to the sign-in page", async () => {
    const { cookie } = await signIn(box, memberEmail);
    const response = await postForm(box, "/sign-out", {}, cookie);
    expect(response.headers.get("HX-Redirect")).toBe("/sign-in");
    expect(response.headers.getSetCookie().some((header) => /^opsbox_session=;/.test(header))).toBe(true);
    const after = await box.fetch("/account", { headers: { Cookie: cookie ?? "" } });
    expect(after.status).toBe(303);
    expect(after.headers.get("Location")).toBe("/sign-in?next=%2Faccount");
    expect(auditActionsOf(box, memberId)).toContain("auth.sign_out");
  });
});

describe("two-factor sign-in", () => {
  let userId: string;
  let key: Uint8Array;
  const email = "tom@example.com";

  beforeAll(async () => {
    userId = await createUser(box, { orgId: acme.orgId, role: "team_lead", email, name: "Tom Lead" });
    key = enableTotp(box, userId);
  });

  test("a session waiting for its second factor reaches nothing else", async () => {
    const { response, cookie } = await signIn(box, email);
    expect(response.headers.get("HX-Redirect")).toBe("/sign-in/two-factor");
    const page = await box.fetch("/account", { headers: { Cookie: cookie ?? "" } });
    expect(page.status).toBe(303);
    expect(page.headers.get("Location")).toBe("/sign-in/two-factor");
    const htmx = await box.fetch("/account", { headers: { Cookie: cookie ?? "", "HX-Request": "true" } });
    expect(htmx.headers.get("HX-Redirect")).toBe("/sign-in/two-factor");
    const api = await apiCall(box, "GET", "/api/v1/me/sessions", cookie);
    expect(api.status).toBe(403);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("forbidden");
  });

  test("a wrong code is refused at 422; the right one completes the sign-in", async () => {
    const { cookie } = await signIn(box, email);
    const challenge = await box.fetch("/sign-in/two-factor?next=%2Faccount", { headers: { Cookie: cookie ?? "" } });
    expect(challenge.status).toBe(200);
    expect(await challenge.text()).toContain('autocomplete="one-time-code"');
    const wrong = await postForm(box, "/sign-in/two-factor", { code: "000000", next: "/account" }, cookie);
    expect(wrong.status).toBe(422);
    expect(messageOf(await wrong.text())).toContain("not valid");
    const right = await postForm(box, "/sign-in/two-factor", { code: totpCode(key), next: "/account" }, cookie);
    expect(right.headers.get("HX-Redirect")).toBe("/account");
    const account = await box.fetch("/account", { headers: { Cookie: cookie ?? "" } });
    expect(account.status).toBe(200);
    expect(await account.text()).toContain("Tom Lead");
    const row = box.deps.db
      .select()
      .from(sessions)
      .where(eq(sessions.id, cookie?.split("=")[1]?.split(".")[0] ?? ""))
      .get();
    expect(row?.twoFactorVerified).toBe(true);
    const signedIn = box.deps.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.actorUserId, userId))
      .all()
      .find((event) => event.action === "auth.sign_in");
    expect(signedIn?.details).toEqual({ method: "password+totp" });
  });

  test("after too many wrong codes the challenge answers 429 with Retry-After and the wait", async () => {
    const { cookie } = await signIn(box, email);
    const lockedUntil = new Date(Date.now() + 600_000);
    box.deps.db
      .insert(authThrottles)
      .values({ key: `totp:${userId}`, failures: 5, firstFailureAt: new Date(), lockedUntil })
      .onConflictDoUpdate({ target: authThrottles.key, set: { lockedUntil } })
      .run();
    const response = await postForm(box, "/sign-in/two-factor", { code: totpCode(key) }, cookie);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(500);
    expect(messageOf(await response.text())).toBe("Too many wrong codes. Try again in 10 minutes.");
  });
});

describe("enrolment owed by an admin (setup made through the API)", () => {
  test("the first sign-in leads to enrolment before anything else, which ends with ten recovery codes", async () => {
    const { response, cookie } = await signIn(box, acme.adminEmail);
    expect(response.headers.get("HX-Redirect")).toBe("/account/two-factor/setup");
    const elsewhere = await box.fetch("/account", { headers: { Cookie: cookie ?? "" } });
    expect(elsewhere.headers.get("Location")).toBe("/account/two-factor/setup");
    const setup = await box.fetch("/account/two-factor/setup", { headers: { Cookie: cookie ?? "" } });
    expect(setup.status).toBe(200);
    const html = await setup.text();
    expect(html).toContain("<svg");
    const secret = /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(html)?.[1]?.replaceAll(" ", "");
    expect(secret).toHaveLength(32);
    const admin = box.deps.db.select().from(users).where(eq(users.id, acme.adminId)).get();
    expect(admin?.totpEnabledAt).toBeNull();
    expect(admin?.totpKeyEncrypted).not.toContain(secret ?? "missing");

    const { decodeBase32IgnorePadding } = await import("@oslojs/encoding");
    const key = decodeBase32IgnorePadding(secret ?? "");
    const wrong = await postForm(box, "/account/two-factor/setup", { code: "123456" }, cookie);
    expect(wrong.status).toBe(422);
    const done = await postForm(
      box,
      "/account/two-factor/setup",
      { code: totpCode(key, totpStepAt(new Date())) },
      cookie,
    );
    expect(done.status).toBe(200);
    const codes = [...(await done.text()).matchAll(/<li><code>([a-z2-9-]+)<\/code><\/li>/g)].map((match) => match[1]);
    expect(codes).toHaveLength(10);
    expect((await box.fetch("/account", { headers: { Cookie: cookie ?? "" } })).status).toBe(200);
    expect(auditActionsOf(box, acme.adminId)).toContain("auth.two_factor_enabled");
  });
});
