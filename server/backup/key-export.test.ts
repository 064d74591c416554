import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, isNull } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { instanceSettings } from "../../models/instance.ts";
import { apiAs, type Call, errorOf, postForm } from "../auth/people/people-test-kit.ts";
import { csrfToken } from "../http/csrf.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { BACKUP_KEY_SETTING, backupKeyStatus, ensureBackupKey, parseIdentity, readBackupKey } from "./key.ts";
import type { BackupOverview } from "./overview.ts";

/*
 * The backup key is downloaded once, by the box's instance admin (Acme's first admin), from the
 * console or the API. Globex's admin runs a second organisation on the same box: like a manager
 * and a member, refused, and their attempts use nothing up.
 */

let box: TestApp;
let adminCookie = "";
let admin: Call;
const others: [string, string][] = [];
beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
  admin = apiAs(box, adminCookie);
  const globex = await createOrganization(box, "Globex");
  others.push(["another organisation's admin", sessionCookie(box, globex.adminId, globex.orgId)]);
  for (const role of ["manager", "member"] as const)
    others.push([`a ${role}`, sessionCookie(box, await createUser(box, { orgId: acme.orgId, role }), acme.orgId)]);
});
afterAll(() => box.close());

const exports = () =>
  box.deps.db
    .select()
    .from(auditEvents)
    .where(and(isNull(auditEvents.orgId), eq(auditEvents.action, "backups.key_exported")))
    .all();

/** A new key, not downloaded yet (as the supervisor makes it when backups first run). */
async function freshKey() {
  box.deps.db.delete(instanceSettings).where(eq(instanceSettings.key, BACKUP_KEY_SETTING)).run();
  return ensureBackupKey(box.deps.db, box.deps.keyring);
}

/** A plain (non-htmx) form post, as the browser sends the download form, with the session's CSRF token. */
function plainPost(cookie: string, path: string, fields: Record<string, string>) {
  const sessionId = cookie.split("=")[1]?.split(".")[0] ?? "";
  const body = new URLSearchParams({ ...fields, _csrf: csrfToken(box.config.secretKey, sessionId) });
  const headers = { Cookie: cookie, Origin: new URL(box.url).origin };
  return box.fetch(path, { method: "POST", headers, body });
}

describe("POST /api/v1/backups/key/export", () => {
  test("while backups are off and there is no key, it is a 409 and makes none", async () => {
    const response = await admin("POST", "/api/v1/backups/key/export");
    expect(response.status).toBe(409);
    expect((await errorOf(response)).message).toBe(
      "Backups are not set up on this box: the key is made when they first run.",
    );
    expect(backupKeyStatus(box.deps.db)).toEqual({ exists: false });
  });

  test("another organisation's admin, a manager and a member get 403 and the key stays not downloaded", async () => {
    await freshKey();
    for (const [who, cookie] of others) {
      const response = await apiAs(box, cookie)("POST", "/api/v1/backups/key/export");
      expect([who, response.status]).toEqual([who, 403]);
      expect((await errorOf(response)).code).toBe("forbidden");
    }
    expect(backupKeyStatus(box.deps.db)).toMatchObject({ exists: true, exportedAt: null });
    expect(exports()).toEqual([]);
  });

  test("the instance admin gets the key file once, audited; the second time is 409; no log holds it", async () => {
    const key = await freshKey();
    const response = await admin("POST", "/api/v1/backups/key/export");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="opsbox-backup-key.txt"');
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Type")).toStartWith("text/plain");
    const file = await response.text();
    expect(parseIdentity(file)).toBe(key.identity);
    expect(file).toContain(`# public key: ${key.recipient}`);

    const again = await admin("POST", "/api/v1/backups/key/export");
    expect(again.status).toBe(409);
    const refusal = await errorOf(again);
    expect(refusal.message).toContain("it is shown only once");
    expect(JSON.stringify(refusal)).not.toContain("AGE-SECRET-KEY");

    const status = (await (await admin("GET", "/api/v1/backups")).json()) as BackupOverview;
    expect(status.key).toEqual({
      exists: true,
      recipient: key.recipient,
      createdAt: expect.any(String),
      exportedAt: expect.any(String),
    });
    expect(status.files).toBeNull();
    expect(JSON.stringify(status)).not.toContain("AGE-SECRET-KEY");
    const audit = exports();
    expect(audit.map((event) => event.actorUserId)).toEqual([expect.stringMatching(/^usr_/)]);
    expect(JSON.stringify(audit)).not.toContain(key.identity);
    expect(JSON.stringify(box.logs)).not.toContain(key.identity);
  });
});

describe("Settings → Backups: Download the backup key", () => {
  test("another organisation's admin sees the key's state without the form; their posts are 403", async () => {
    await freshKey();
    const [, globexCookie] = others[0] ?? ["", ""];
    const html = await (await box.fetch("/settings/backups", { headers: { Cookie: globexCookie } })).text();
    expect(html).toContain('id="backup-key-not-downloaded"');
    expect(html).toContain("by the box&#39;s instance admin");
    expect(html).not.toContain('id="backup-key-form"');
    for (const [who, cookie] of others) {
      const response = await plainPost(cookie, "/settings/backups/key", { keepOffline: "on" });
      expect([who, response.status]).toEqual([who, 403]);
    }
    expect(backupKeyStatus(box.deps.db)).toMatchObject({ exportedAt: null });
  });

  test("unticked it is a 422 page; without the CSRF token a 403; ticked, the file once, then the page says so", async () => {
    const key = await freshKey();
    const page = async () => (await box.fetch("/settings/backups", { headers: { Cookie: adminCookie } })).text();
    const before = await page();
    expect(before).toContain(key.recipient);
    expect(before).toMatch(/<form id="backup-key-form" method="post" action="\/settings\/backups\/key"/);

    const unticked = await plainPost(adminCookie, "/settings/backups/key", {});
    expect(unticked.status).toBe(422);
    const refused = await unticked.text();
    expect(refused).toContain("Tick this box first: the key can be downloaded only once.");
    expect(refused).toMatch(/name="keepOffline"[^>]*aria-invalid="true"/);
    const forged = await box.fetch("/settings/backups/key", {
      method: "POST",
      headers: { Cookie: adminCookie, Origin: new URL(box.url).origin },
      body: new URLSearchParams({ keepOffline: "on" }),
    });
    expect(forged.status).toBe(403);
    expect(backupKeyStatus(box.deps.db)).toMatchObject({ exportedAt: null });

    const download = await plainPost(adminCookie, "/settings/backups/key", { keepOffline: "on" });
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Disposition")).toBe('attachment; filename="opsbox-backup-key.txt"');
    expect(download.headers.get("Cache-Control")).toBe("no-store");
    expect(parseIdentity(await download.text())).toBe(readBackupKey(box.deps.db, box.deps.keyring)?.identity ?? "");

    const after = await page();
    expect(after).toContain('id="backup-key-downloaded"');
    expect(after).toContain("It cannot be downloaded again: <code>opsbox backup key</code>");
    expect(after).not.toContain('id="backup-key-form"');
    const twice = await plainPost(adminCookie, "/settings/backups/key", { keepOffline: "on" });
    expect(twice.status).toBe(409);
    const html = await twice.text();
    expect(html).toContain("it is shown only once");
    expect(html).not.toContain(key.identity);
    // An htmx post is a script's: the same refusal, as the page (there is no fragment to swap).
    expect((await postForm(box, adminCookie, "/settings/backups/key", { keepOffline: "on" })).status).toBe(409);
    expect(JSON.stringify(box.logs)).not.toContain(key.identity);
  });
});
