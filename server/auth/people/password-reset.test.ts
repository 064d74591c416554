import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { emailTokens, memberships, users } from "../../../models/identity.ts";
import { mailMessages } from "../../../models/mail.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { newId } from "../../tools/ids.ts";
import { apiAs, errorOf, linkOf, postForm, waitForMail } from "./people-test-kit.ts";

let box: TestApp;
let acme: TestBox;
const anonymous = () => apiAs(box, null);
const NEW_PASSWORD = "velvet harbour compass 93";

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  await createUser(box, { orgId: acme.orgId, role: "member", email: "pat@example.com" });
  await createUser(box, { orgId: acme.orgId, role: "member", email: "gone@example.com", status: "deactivated" });
});
afterAll(() => box.close());

async function requestReset(email: string, from?: string): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = from ? { "X-Forwarded-For": from } : {};
  const response = await anonymous()("POST", "/api/v1/auth/password-reset", { email }, headers);
  return { status: response.status, body: await response.text() };
}

async function resetLink(email: string): Promise<{ path: string; token: string }> {
  const before = Date.now();
  expect((await requestReset(email)).status).toBe(204);
  return linkOf(await waitForMail(box, email, "password_reset", before));
}

function mailsTo(email: string): number {
  return box.deps.db.select().from(mailMessages).where(eq(mailMessages.toAddress, email)).all().length;
}

describe("POST /api/v1/auth/password-reset", () => {
  test("answers 204 with an empty body for a known, an unknown and a deactivated address alike", async () => {
    const answers = await Promise.all(
      ["pat@example.com", "nobody@example.com", "gone@example.com"].map((email) => requestReset(email)),
    );
    for (const answer of answers) expect(answer).toEqual({ status: 204, body: "" });
    await waitForMail(box, "pat@example.com", "password_reset");
    await Bun.sleep(50);
    expect(mailsTo("nobody@example.com")).toBe(0);
    expect(mailsTo("gone@example.com")).toBe(0);
  });

  test("an invalid address is 422 with the path email", async () => {
    const response = await anonymous()("POST", "/api/v1/auth/password-reset", { email: "not an address" });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.[0]?.path).toBe("email");
  });

  test("the e-mailed link points at /reset-password with a token, valid for one hour, stored only as a hash", async () => {
    const { path, token } = await resetLink("pat@example.com");
    expect(path).toStartWith("/reset-password?token=rst_");
    const row = box.deps.db
      .select()
      .from(emailTokens)
      .where(eq(emailTokens.id, token.split(".")[0] ?? ""))
      .get();
    const minutes = ((row?.expiresAt.getTime() ?? 0) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(59);
    expect(minutes).toBeLessThanOrEqual(60);
    expect(Buffer.from(row?.tokenHash ?? []).toString("utf8")).not.toContain(token.split(".")[1] ?? "?");
    const requested = box.deps.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "auth.password_reset_requested"))
      .all();
    expect(requested.length).toBeGreaterThan(0);
  });

  test("each organisation of the person is told in its own audit log, and no other", async () => {
    const globex = await createOrganization(box, "Globex");
    const initech = await createOrganization(box, "Initech");
    const userId = await createUser(box, { orgId: acme.orgId, role: "member", email: "two-homes@example.com" });
    box.deps.db
      .insert(memberships)
      .values({ id: newId("mem"), orgId: globex.orgId, userId, role: "viewer", createdAt: new Date() })
      .run();
    await resetLink("two-homes@example.com");
    const told = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.password_reset_requested"), eq(auditEvents.targetId, userId)))
      .all()
      .map((event) => event.orgId)
      .sort();
    expect(told).toEqual([acme.orgId, globex.orgId].sort());
    expect(told).not.toContain(initech.orgId);
  });

  test("too many requests for one address from one client are refused with 429, known or not", async () => {
    await createUser(box, { orgId: acme.orgId, role: "viewer", email: "kim@example.com" });
    for (const email of ["kim@example.com", "unknown+limit@example.com"]) {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await requestReset(email, "203.0.113.9")).status);
      expect(statuses).toEqual([204, 204, 204, 204, 204, 429]);
      // Another client (the person themselves) is still answered, and still gets a link.
      expect((await requestReset(email, "203.0.113.10")).status).toBe(204);
    }
    await waitForMail(box, "kim@example.com", "password_reset");
  });
});

describe("POST /api/v1/auth/password-reset/confirm", () => {
  test("sets the password, ends every session of the person, and the token works once", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "viewer", email: "rosa@example.com" });
    const session = apiAs(box, sessionCookie(box, userId, acme.orgId));
    expect((await session("GET", "/api/v1/me")).status).toBe(200);
    const { token } = await resetLink("rosa@example.com");

    const weak = await anonymous()("POST", "/api/v1/auth/password-reset/confirm", { token, password: "short" });
    expect(weak.status).toBe(422);
    expect((await errorOf(weak)).details?.[0]?.path).toBe("password");

    const done = await anonymous()("POST", "/api/v1/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
    expect(done.status).toBe(204);
    expect((await session("GET", "/api/v1/me")).status).toBe(401);
    const login = await anonymous()("POST", "/api/v1/auth/login", {
      email: "rosa@example.com",
      password: NEW_PASSWORD,
    });
    expect(login.status).toBe(200);

    const again = await anonymous()("POST", "/api/v1/auth/password-reset/confirm", {
      token,
      password: "yet another long passphrase",
    });
    expect(again.status).toBe(422);
    expect((await errorOf(again)).details?.[0]?.path).toBe("token");
    const audit = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.password_reset"), eq(auditEvents.targetId, userId)))
      .get();
    expect(audit?.details).toMatchObject({ sessionsRevoked: 1 });
  });

  test("a token past its hour is refused", async () => {
    const { token } = await resetLink("pat@example.com");
    box.deps.db
      .update(emailTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(emailTokens.id, token.split(".")[0] ?? ""))
      .run();
    const response = await anonymous()("POST", "/api/v1/auth/password-reset/confirm", {
      token,
      password: NEW_PASSWORD,
    });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.[0]?.path).toBe("token");
  });

  test("a made-up token is refused and a missing one is 422 with its path", async () => {
    const fake = await anonymous()("POST", "/api/v1/auth/password-reset/confirm", {
      token: "rst_abc.def",
      password: NEW_PASSWORD,
    });
    expect(fake.status).toBe(422);
    const missing = await anonymous()("POST", "/api/v1/auth/password-reset/confirm", { password: NEW_PASSWORD });
    expect((await errorOf(missing)).details?.[0]?.path).toBe("token");
  });
});

describe("the console pages", () => {
  test("/forgot-password answers the same page for a known and an unknown address", async () => {
    const known = await postForm(box, null, "/forgot-password", { email: "pat@example.com" });
    const unknown = await postForm(box, null, "/forgot-password", { email: "ghost@example.com" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const normalise = (html: string, email: string) => html.replaceAll(email, "EMAIL");
    expect(normalise(await known.text(), "pat@example.com")).toBe(normalise(await unknown.text(), "ghost@example.com"));
  });

  test("/forgot-password keeps a mistyped address and says what is wrong (422)", async () => {
    const response = await postForm(box, null, "/forgot-password", { email: "pat@example" });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('value="pat@example"');
    expect(html).toContain("Enter a valid e-mail address.");
  });

  test("the reset link moves its token into a cookie, then the form changes the password", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "viewer", email: "lea@example.com" });
    const session = apiAs(box, sessionCookie(box, userId, acme.orgId));
    const { path } = await resetLink("lea@example.com");
    const opened = await box.fetch(path);
    expect(opened.status).toBe(303);
    expect(opened.headers.get("Location")).toBe("/reset-password");
    const cookie = (opened.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    const page = await box.fetch("/reset-password", { headers: { Cookie: cookie } });
    expect(await page.text()).toContain("lea@example.com");

    const post = (fields: Record<string, string>) =>
      box.fetch("/reset-password", {
        method: "POST",
        headers: { Cookie: cookie, Origin: new URL(box.url).origin, "HX-Request": "true" },
        body: new URLSearchParams(fields),
      });
    const mismatch = await post({ password: NEW_PASSWORD, confirm: "not the same at all" });
    expect(mismatch.status).toBe(422);
    const done = await post({ password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Your password was changed");
    expect((await session("GET", "/api/v1/me")).status).toBe(401);
    const stored = box.deps.db.select().from(users).where(eq(users.id, userId)).get();
    expect(await Bun.password.verify(NEW_PASSWORD, stored?.passwordHash ?? "")).toBe(true);
    expect((await post({ password: NEW_PASSWORD, confirm: NEW_PASSWORD })).status).toBe(400);
  });
});
