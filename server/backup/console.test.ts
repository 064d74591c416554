import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { postForm } from "../auth/people/people-test-kit.ts";
import { makeTempDir, type TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { readBackupTarget } from "./settings.ts";

let box: TestApp;
let adminCookie = "";
let memberCookie = "";
let globexCookie = "";
const mirror = makeTempDir("opsbox-backups-console-");
beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
  memberCookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "member" }), acme.orgId);
  const globex = await createOrganization(box, "Globex");
  globexCookie = sessionCookie(box, globex.adminId, globex.orgId);
});
afterAll(async () => {
  await box.close();
  rmSync(mirror, { recursive: true, force: true });
});

const page = (cookie: string, query = "") => box.fetch(`/settings/backups${query}`, { headers: { Cookie: cookie } });

describe("Settings → Backups", () => {
  test("the instance admin sees the status, a listing that loads after the page, and the settings form", async () => {
    const response = await page(adminCookie);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('href="/settings/backups" aria-current="page"');
    expect(html).toContain('id="backup-status"');
    expect(html).toContain("Backups are off.");
    expect(html).not.toContain('id="backup-files"');
    expect(html).toContain("No key yet: Opsbox makes one when backups first run");
    // Nothing to list while backups are off; once on, the listing loads after the page (see the saved form).
    expect(html).not.toContain('id="backup-listing"');
    expect(html).toContain('id="backup-settings-form"');
    expect(html).not.toContain('id="backups-read-only"');
  });

  test("a member gets 403", async () => {
    expect((await page(memberCookie)).status).toBe(403);
    expect((await postForm(box, memberCookie, "/settings/backups/snapshot", {})).status).toBe(403);
  });

  test("another organisation's admin sees the status read-only and gets 403 on every change", async () => {
    const html = await (await page(globexCookie)).text();
    expect(html).toContain('id="backups-read-only"');
    expect(html).toContain('id="backup-status"');
    expect(html).not.toContain('id="backup-settings-form"');
    for (const path of ["/settings/backups/snapshot", "/settings/backups/verify", "/settings/backups/settings"]) {
      const response = await postForm(box, globexCookie, path, { enabled: "on", directory: mirror });
      expect([path, response.status]).toEqual([path, 403]);
    }
    expect(readBackupTarget(box.deps.db, box.deps.keyring)).toBeNull();
  });

  test("back up now while backups are off answers the panel with why (409)", async () => {
    const response = await postForm(box, adminCookie, "/settings/backups/snapshot", {});
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).toContain('id="backup-status"');
    expect(html).toContain("Backups are not set up on this box.");
  });

  test("a refused form comes back 422 with the field errors and what was typed, never the secret", async () => {
    const response = await postForm(box, adminCookie, "/settings/backups/settings", {
      enabled: "on",
      bucket: "my-typed-bucket",
      accessKeyId: "",
      secretAccessKey: "typed-secret-value",
      directory: "relative/dir",
      retentionDays: "0",
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('id="backup-settings-form"');
    expect(html).toContain('value="my-typed-bucket"');
    expect(html).toContain("Enter an absolute path, like /mnt/usb/opsbox.");
    expect(html).toContain("Enter the access key id.");
    expect(html).toMatch(/name="retentionDays"[^>]*aria-invalid="true"/);
    expect(html).not.toContain("typed-secret-value");
    expect(readBackupTarget(box.deps.db, box.deps.keyring)).toBeNull();
  });

  test("a saved form is applied and the page says so", async () => {
    const response = await postForm(box, adminCookie, "/settings/backups/settings", {
      enabled: "on",
      directory: mirror,
      retentionDays: "45",
    });
    expect(response.headers.get("HX-Redirect")).toBe("/settings/backups?notice=saved");
    expect(readBackupTarget(box.deps.db, box.deps.keyring)).toMatchObject({ directory: mirror, retentionDays: 45 });
    const html = await (await page(adminCookie, "?notice=saved")).text();
    expect(html).toContain("Backup settings saved and applied.");
    expect(html).toContain(`value="${mirror}"`);
    expect(html).toContain('value="45"');
    expect(html).toContain('<dd id="backup-files">0 files copied, 0 waiting</dd>');
    expect(html).toMatch(/id="backup-listing"[^>]*hx-get="\/settings\/backups\/snapshots"[^>]*hx-trigger="load"/);
    // Switching backups on made the key before the answer: the page the admin lands on offers it.
    expect(html).toContain('id="backup-key-form"');
    expect(html).not.toContain("No key yet");
  });
});
