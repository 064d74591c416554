import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { memberships } from "../../../models/identity.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { apiCall, postForm } from "../../testing/sign-in.ts";
import { newId } from "../../tools/ids.ts";
import { rolePermissions } from "../roles/permissions.ts";
import { createApiKey } from "./api-keys.ts";

const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "lantern meadow copper violin";

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
});
afterAll(() => box.close());

/** A member of Acme with a session and one API key in Acme; with `alsoGlobex`, a member of Globex with a key there too. */
async function personWithKeys(alsoGlobex = false) {
  const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
  const keyIn = (orgId: string) =>
    createApiKey(
      box.deps.db,
      { orgId, userId, name: "script", scopes: ["workspace.read"], expiresAt: null },
      rolePermissions.member,
    );
  const keys = [keyIn(acme.orgId)];
  if (alsoGlobex) {
    box.deps.db
      .insert(memberships)
      .values({ id: newId("mem"), orgId: globex.orgId, userId, role: "member", createdAt: new Date() })
      .run();
    keys.push(keyIn(globex.orgId));
  }
  return { userId, keys, cookie: sessionCookie(box, userId, acme.orgId) };
}

async function keyWorks(key: string): Promise<boolean> {
  const response = await box.fetch("/api/v1/me", { headers: { Authorization: `Bearer ${key}` } });
  return response.status === 200;
}

function revocationsAudited(keyId: string): { orgId: string | null; reason: unknown }[] {
  return box.deps.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "api_key.revoked"), eq(auditEvents.targetId, keyId)))
    .all()
    .map((event) => ({ orgId: event.orgId, reason: (event.details as { reason?: unknown } | null)?.reason }));
}

describe("the console offers to revoke my API keys", () => {
  test("the password and sign-out forms carry 'Also revoke my API keys', ticked", async () => {
    const { cookie } = await personWithKeys();
    const html = await (await box.fetch("/account", { headers: { Cookie: cookie } })).text();
    const boxes = html.match(/<input[^>]*name="revokeApiKeys"[^>]*>/g) ?? [];
    expect(boxes).toHaveLength(2);
    for (const checkbox of boxes) expect(checkbox).toContain("checked");
    expect(html.match(/Also revoke my API keys/g)).toHaveLength(2);
  });

  test("a password change with the box ticked revokes my keys in every organisation, audited in each", async () => {
    const { keys, cookie } = await personWithKeys(true);
    const response = await postForm(
      box,
      "/account/password",
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD, revokeApiKeys: "on" },
      cookie,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("your 2 API keys were revoked");
    for (const { key } of keys) expect(await keyWorks(key)).toBe(false);
    expect(revocationsAudited(keys[0]?.apiKey.id ?? "")).toEqual([{ orgId: acme.orgId, reason: "password_changed" }]);
    expect(revocationsAudited(keys[1]?.apiKey.id ?? "")).toEqual([{ orgId: globex.orgId, reason: "password_changed" }]);
  });

  test("a password change with the box unticked keeps my keys", async () => {
    const { keys, cookie } = await personWithKeys();
    const response = await postForm(
      box,
      "/account/password",
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      cookie,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Your password has been changed.");
    expect(await keyWorks(keys[0]?.key ?? "")).toBe(true);
  });

  test("a refused change keeps my keys and re-renders the box as I left it (422)", async () => {
    const { keys, cookie } = await personWithKeys();
    const response = await postForm(
      box,
      "/account/password",
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: "something else" },
      cookie,
    );
    expect(response.status).toBe(422);
    const checkbox = (await response.text()).match(/<input[^>]*name="revokeApiKeys"[^>]*>/)?.[0] ?? "";
    expect(checkbox).not.toContain("checked");
    expect(await keyWorks(keys[0]?.key ?? "")).toBe(true);
  });

  test("'sign out everywhere else' with the box ticked revokes my keys; unticked keeps them", async () => {
    const ticked = await personWithKeys();
    const response = await postForm(box, "/account/sessions/sign-out-others", { revokeApiKeys: "on" }, ticked.cookie);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Your 1 API key was revoked.");
    expect(await keyWorks(ticked.keys[0]?.key ?? "")).toBe(false);
    expect(revocationsAudited(ticked.keys[0]?.apiKey.id ?? "")).toEqual([
      { orgId: acme.orgId, reason: "sign_out_elsewhere" },
    ]);

    const unticked = await personWithKeys();
    expect((await postForm(box, "/account/sessions/sign-out-others", {}, unticked.cookie)).status).toBe(200);
    expect(await keyWorks(unticked.keys[0]?.key ?? "")).toBe(true);
  });

  test("someone else's keys are never touched", async () => {
    const me = await personWithKeys();
    const someoneElse = await personWithKeys();
    await postForm(box, "/account/sessions/sign-out-others", { revokeApiKeys: "on" }, me.cookie);
    expect(await keyWorks(someoneElse.keys[0]?.key ?? "")).toBe(true);
  });
});

describe("the API revokes my API keys unless told not to", () => {
  test("POST /me/password revokes them by default and says how many", async () => {
    const { keys, cookie } = await personWithKeys(true);
    const response = await apiCall(box, "POST", "/api/v1/me/password", cookie, {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(await response.json()).toEqual({ sessionsRevoked: 0, apiKeysRevoked: 2 });
    for (const { key } of keys) expect(await keyWorks(key)).toBe(false);
    expect(revocationsAudited(keys[1]?.apiKey.id ?? "")).toEqual([{ orgId: globex.orgId, reason: "password_changed" }]);
  });

  test("POST /me/password with revokeApiKeys false keeps them", async () => {
    const { keys, cookie } = await personWithKeys();
    const response = await apiCall(box, "POST", "/api/v1/me/password", cookie, {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
      revokeApiKeys: false,
    });
    expect(await response.json()).toEqual({ sessionsRevoked: 0, apiKeysRevoked: 0 });
    expect(await keyWorks(keys[0]?.key ?? "")).toBe(true);
  });

  test("POST /me/password refuses a revokeApiKeys that is not a boolean (422)", async () => {
    const { cookie } = await personWithKeys();
    const response = await apiCall(box, "POST", "/api/v1/me/password", cookie, {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
      revokeApiKeys: "no",
    });
    expect(response.status).toBe(422);
  });

  test("DELETE /me/sessions/others revokes them by default; with revokeApiKeys false keeps them", async () => {
    const byDefault = await personWithKeys();
    const response = await apiCall(box, "DELETE", "/api/v1/me/sessions/others", byDefault.cookie);
    expect(await response.json()).toEqual({ revoked: 0, apiKeysRevoked: 1 });
    expect(await keyWorks(byDefault.keys[0]?.key ?? "")).toBe(false);

    const kept = await personWithKeys();
    const keeping = await apiCall(box, "DELETE", "/api/v1/me/sessions/others", kept.cookie, { revokeApiKeys: false });
    expect(await keeping.json()).toEqual({ revoked: 0, apiKeysRevoked: 0 });
    expect(await keyWorks(kept.keys[0]?.key ?? "")).toBe(true);
  });
});
