import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { emailTokens, memberships, users } from "../../../models/identity.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { apiAs, type Call, errorOf, latestMail, linkOf, postForm } from "./people-test-kit.ts";

let box: TestApp;
let acme: TestBox;
let other: { orgId: string; adminId: string };
let admin: Call;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  other = await createOrganization(box, "Globex");
  admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
});
afterAll(() => box.close());

const NEW_PASSWORD = "plum orchard lantern 42";

/** Opens an e-mailed link like a browser: the token moves into a cookie and the address loses it. */
async function openLink(path: string): Promise<string> {
  const first = await box.fetch(path);
  expect(first.status).toBe(303);
  expect(first.headers.get("Location")).toBe(path.split("?")[0] ?? "");
  const cookie = first.headers.get("Set-Cookie") ?? "";
  expect(cookie).toContain("HttpOnly");
  return cookie.split(";")[0] ?? "";
}

function acceptWith(cookie: string, password: string, confirm = password) {
  return box.fetch("/invitations/accept", {
    method: "POST",
    headers: {
      Cookie: cookie,
      Origin: new URL(box.url).origin,
      "HX-Request": "true",
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ password, confirm }).toString(),
  });
}

describe("POST /api/v1/invitations", () => {
  test("viewer and member get 403", async () => {
    for (const role of ["viewer", "member"]) {
      const person = await createUser(box, { orgId: acme.orgId, role });
      const response = await apiAs(box, sessionCookie(box, person, acme.orgId))("POST", "/api/v1/invitations", {
        email: "nope@example.com",
        role: "viewer",
      });
      expect(response.status).toBe(403);
    }
  });

  test("invites a new address with a role: 201, an invited account, a 7-day link in the draft log", async () => {
    const response = await admin("POST", "/api/v1/invitations", { email: "ivy@example.com", role: "team_lead" });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { userId: string; role: string; expiresAt: string };
    expect(body.role).toBe("team_lead");
    const days = (Date.parse(body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    const user = box.deps.db.select().from(users).where(eq(users.id, body.userId)).get();
    expect(user).toMatchObject({ status: "invited", passwordHash: null, name: "ivy" });
    const mail = latestMail(box, "ivy@example.com");
    expect(mail?.textBody).toContain("Team Lead");
  });

  test("invalid input is 422 with the fields' paths", async () => {
    const response = await admin("POST", "/api/v1/invitations", { email: "nope", role: "" });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.map((detail) => detail.path).sort()).toEqual(["email", "role"]);
  });

  test("inviting again sends a fresh link and the old one stops working", async () => {
    await admin("POST", "/api/v1/invitations", { email: "rex@example.com", role: "member" });
    const old = linkOf(latestMail(box, "rex@example.com") as NonNullable<ReturnType<typeof latestMail>>);
    const again = await admin("POST", "/api/v1/invitations", { email: "rex@example.com", role: "viewer" });
    expect(again.status).toBe(201);
    const fresh = linkOf(latestMail(box, "rex@example.com") as NonNullable<ReturnType<typeof latestMail>>);
    expect(fresh.token).not.toBe(old.token);
    const page = await box.fetch("/invitations/accept", { headers: { Cookie: await openLink(old.path) } });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("not valid any more");
  });

  test("an active member is 409; an account of another organisation is only invited, and answers like a new one", async () => {
    const member = await admin("POST", "/api/v1/invitations", { email: acme.adminEmail, role: "viewer" });
    expect(member.status).toBe(409);
    const globexAdmin = box.deps.db.select().from(users).where(eq(users.id, other.adminId)).get();
    const invited = await admin("POST", "/api/v1/invitations", { email: globexAdmin?.email, role: "viewer" });
    const fresh = await admin("POST", "/api/v1/invitations", { email: "never-seen@example.com", role: "viewer" });
    expect([invited.status, fresh.status]).toEqual([201, 201]);
    const shape = async (response: Response) =>
      Object.keys((await response.json()) as Record<string, unknown>).map((key) => key);
    expect(await shape(invited)).toEqual(await shape(fresh));
    // Asked again, or to deactivate, they answer alike too.
    const again = async (email: string) => {
      const response = await admin("POST", "/api/v1/users", { email, name: "Again", role: "viewer" });
      return [response.status, (await errorOf(response)).message];
    };
    expect(await again(globexAdmin?.email ?? "")).toEqual(await again("never-seen@example.com"));
    const fresher = box.deps.db.select().from(users).where(eq(users.email, "never-seen@example.com")).get();
    const deactivate = async (id: string) => {
      const response = await admin("PATCH", `/api/v1/users/${id}`, { status: "deactivated" });
      return [response.status, (await errorOf(response)).message];
    };
    expect(await deactivate(other.adminId)).toEqual(await deactivate(fresher?.id ?? ""));
    expect(latestMail(box, globexAdmin?.email ?? "")?.template).toBe("membership_invitation");
    const rows = box.deps.db.select().from(memberships).where(eq(memberships.userId, other.adminId)).all();
    expect(rows.map((row) => row.orgId)).toEqual([other.orgId]);
  });
});

describe("accepting an invitation", () => {
  test("the link's token leaves the address bar for an HttpOnly cookie and the page names the organisation", async () => {
    await admin("POST", "/api/v1/users", { email: "amy@example.com", name: "Amy", role: "member" });
    const { path } = linkOf(latestMail(box, "amy@example.com") as NonNullable<ReturnType<typeof latestMail>>);
    const cookie = await openLink(path);
    const page = await box.fetch("/invitations/accept", { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Join Acme Ltd");
    expect(html).toContain("amy@example.com");
  });

  test("sets the password, activates the account, signs the person in; the link works once", async () => {
    await admin("POST", "/api/v1/users", { email: "ben@example.com", name: "Ben", role: "manager" });
    const { path } = linkOf(latestMail(box, "ben@example.com") as NonNullable<ReturnType<typeof latestMail>>);
    const cookie = await openLink(path);

    const weak = await acceptWith(cookie, "password1234");
    expect(weak.status).toBe(422);
    expect(await weak.text()).toContain("too common");
    const mismatch = await acceptWith(cookie, NEW_PASSWORD, "something else entirely");
    expect(mismatch.status).toBe(422);
    expect(await mismatch.text()).toContain("not the same");

    const accepted = await acceptWith(cookie, NEW_PASSWORD);
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get("HX-Redirect")).toBe("/");
    const session = (accepted.headers.getSetCookie().find((line) => line.startsWith("opsbox_session=")) ?? "").split(
      ";",
    )[0];
    const me = await box.fetch("/api/v1/me", { headers: { Cookie: session ?? "" } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      email: "ben@example.com",
      role: "manager",
      organization: { id: acme.orgId },
    });

    const user = box.deps.db.select().from(users).where(eq(users.email, "ben@example.com")).get();
    expect(user?.status).toBe("active");
    expect(await Bun.password.verify(NEW_PASSWORD, user?.passwordHash ?? "")).toBe(true);
    const login = await apiAs(box, null)("POST", "/api/v1/auth/login", {
      email: "ben@example.com",
      password: NEW_PASSWORD,
    });
    expect(login.status).toBe(200);

    const replay = await acceptWith(cookie, "another fine passphrase 7");
    expect(replay.status).toBe(400);
    const audit = box.deps.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "user.invitation_accepted"))
      .all();
    expect(audit.map((event) => event.targetId)).toContain(user?.id ?? "");
  });

  test("an expired invitation link is refused", async () => {
    await admin("POST", "/api/v1/users", { email: "old@example.com", name: "Old", role: "viewer" });
    const { path, token } = linkOf(latestMail(box, "old@example.com") as NonNullable<ReturnType<typeof latestMail>>);
    const id = token.split(".")[0] ?? "";
    box.deps.db
      .update(emailTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(emailTokens.id, id))
      .run();
    const cookie = await openLink(path);
    expect((await box.fetch("/invitations/accept", { headers: { Cookie: cookie } })).status).toBe(400);
    expect((await acceptWith(cookie, NEW_PASSWORD)).status).toBe(400);
    expect(box.deps.db.select().from(users).where(eq(users.email, "old@example.com")).get()?.status).toBe("invited");
  });

  test("without a token cookie the page says the link is not valid", async () => {
    const page = await box.fetch("/invitations/accept");
    expect(page.status).toBe(400);
    const post = await postForm(box, null, "/invitations/accept", { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(post.status).toBe(400);
  });

  test("tokens never appear in the request log", async () => {
    const text = JSON.stringify(box.logs);
    const tokens = box.deps.db.select().from(emailTokens).all();
    expect(tokens.length).toBeGreaterThan(0);
    for (const row of tokens) expect(text).not.toContain(`${row.id}.`);
    expect(text).not.toContain("accept?token=");
  });
});
