import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, isNull } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { apiAs, type Call, errorOf } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { readBackupTarget } from "./settings.ts";

/*
 * Backups are the box's, not an organisation's: admins (backups.manage) read their state; only
 * the instance admin (Acme's first admin here) changes where they go, backs up now or tests a
 * restore. Globex's admin runs a second organisation on the same box and must not.
 */

const SECRET = "s3cr3t-Access-Key-never-shown";
const bucketSettings = {
  enabled: true,
  bucket: "acme-backups",
  // Nothing listens there: the supervisor starts Litestream, which only logs that it cannot connect.
  endpoint: "http://127.0.0.1:9",
  region: "eu-west-1",
  path: "box",
  accessKeyId: "AKIDACME",
  secretAccessKey: SECRET,
  forcePathStyle: true,
  retentionDays: 14,
};

let box: TestApp;
let admin: Call;
let globexAdmin: Call;
let member: Call;
let manager: Call;
beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  member = apiAs(box, sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "member" }), acme.orgId));
  manager = apiAs(box, sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "manager" }), acme.orgId));
  const globex = await createOrganization(box, "Globex");
  globexAdmin = apiAs(box, sessionCookie(box, globex.adminId, globex.orgId));
});
afterAll(() => box.close());

const changes = [
  ["POST", "/api/v1/backups/snapshot", undefined],
  ["POST", "/api/v1/backups/verify", undefined],
  ["PUT", "/api/v1/backups/settings", { enabled: true, directory: "/tmp/elsewhere" }],
] as const;

describe("who may see and change the box's backups", () => {
  test("a member and a manager get 403 on every backup route", async () => {
    for (const call of [member, manager]) {
      for (const [method, path, body] of [
        ["GET", "/api/v1/backups", undefined],
        ["GET", "/api/v1/backups/snapshots", undefined],
        ["GET", "/api/v1/backups/settings", undefined],
        ...changes,
      ] as const) {
        const response = await call(method, path, body);
        expect([method, path, response.status]).toEqual([method, path, 403]);
        expect((await errorOf(response)).code).toBe("forbidden");
      }
    }
  });

  test("another organisation's admin reads the status but gets 403 on the settings and every change", async () => {
    expect((await globexAdmin("GET", "/api/v1/backups")).status).toBe(200);
    expect((await globexAdmin("GET", "/api/v1/backups/settings")).status).toBe(403);
    for (const [method, path, body] of changes) {
      const response = await globexAdmin(method, path, body);
      expect([method, path, response.status]).toEqual([method, path, 403]);
      expect((await errorOf(response)).message).toBe("Only the box's instance admin may do this.");
    }
    expect(readBackupTarget(box.deps.db, box.deps.keyring)).toBeNull();
  });
});

describe("/api/v1/backups while backups are off", () => {
  test("the status says so; snapshots, back up now and test restore are 409", async () => {
    const status = await admin("GET", "/api/v1/backups");
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ enabled: false, healthy: true, replicas: [], lastVerification: null });
    for (const [method, path] of [
      ["GET", "/api/v1/backups/snapshots"],
      ["POST", "/api/v1/backups/snapshot"],
      ["POST", "/api/v1/backups/verify"],
    ] as const) {
      const response = await admin(method, path);
      expect([path, response.status]).toEqual([path, 409]);
      expect((await errorOf(response)).message).toBe("Backups are not set up on this box.");
    }
  });
});

describe("PUT /api/v1/backups/settings", () => {
  test("a bucket without its secret is a 422 on secretAccessKey", async () => {
    const { secretAccessKey: _, ...withoutSecret } = bucketSettings;
    const response = await admin("PUT", "/api/v1/backups/settings", withoutSecret);
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.map((detail) => detail.path)).toEqual(["secretAccessKey"]);
  });

  test("neither a bucket nor a directory, or a relative directory, is a 422", async () => {
    const none = await admin("PUT", "/api/v1/backups/settings", { enabled: true });
    expect(none.status).toBe(422);
    expect((await errorOf(none)).details?.map((detail) => detail.path)).toContain("bucket");
    const relative = await admin("PUT", "/api/v1/backups/settings", { enabled: true, directory: "usb/opsbox" });
    expect(relative.status).toBe(422);
    expect((await errorOf(relative)).details?.map((detail) => detail.path)).toEqual(["directory"]);
  });

  test("saves the secret encrypted and never sends it back; a blank secret keeps it", async () => {
    const saved = await admin("PUT", "/api/v1/backups/settings", bucketSettings);
    expect(saved.status).toBe(200);
    const text = await saved.text();
    expect(text).not.toContain(SECRET);
    expect(JSON.parse(text)).toMatchObject({ bucket: "acme-backups", secretAccessKeySet: true, retentionDays: 14 });
    const read = await (await admin("GET", "/api/v1/backups/settings")).text();
    expect(read).not.toContain(SECRET);
    const stored = JSON.stringify(box.deps.db.$client.query("SELECT value FROM instance_settings").all());
    expect(stored).not.toContain(SECRET);

    const { secretAccessKey: _, ...withoutSecret } = bucketSettings;
    const again = await admin("PUT", "/api/v1/backups/settings", { ...withoutSecret, path: "box2" });
    expect(again.status).toBe(200);
    expect(readBackupTarget(box.deps.db, box.deps.keyring)?.s3).toMatchObject({
      path: "box2",
      secretAccessKey: SECRET,
    });
    const audit = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(isNull(auditEvents.orgId), eq(auditEvents.action, "backups.settings_changed")))
      .all();
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(JSON.stringify(box.logs)).not.toContain(SECRET);
  });

  test("turning backups off keeps the replica settings for later", async () => {
    const off = await admin("PUT", "/api/v1/backups/settings", { enabled: false });
    expect(await off.json()).toMatchObject({ enabled: false, bucket: "acme-backups", secretAccessKeySet: true });
    expect(readBackupTarget(box.deps.db, box.deps.keyring)).toBeNull();
  });
});
