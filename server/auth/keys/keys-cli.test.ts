import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { instanceSettings } from "../../../models/instance.ts";
import { encodeSecretKey, generateSecretKey, loadConfig } from "../../config.ts";
import { closeDatabase, databasePath, openDatabase } from "../../db.ts";
import { migrate } from "../../migrate.ts";
import { runCli } from "../../testing/cli.ts";
import { makeTempDir, startTestApp, type TestApp, testEnv } from "../../testing/harness.ts";
import { createOrganization, createUser, setUpBox } from "../../testing/identity.ts";
import { createKeyring, encryptSecret } from "../../tools/secrets.ts";

const _CLI = join(import.meta.dir, "..", "..", "cli.ts");

const opsbox = runCli;

describe("opsbox api-keys create", () => {
  let box: TestApp;
  let env: Record<string, string>;
  let otherOrgId: string;
  beforeAll(async () => {
    box = await startTestApp();
    const { orgId } = await setUpBox(box);
    await createUser(box, { orgId, role: "member", email: "invited@example.com", status: "invited" });
    otherOrgId = (await createOrganization(box, "Globex")).orgId;
    env = { OPSBOX_DATA_DIR: box.dataDir };
  });
  afterAll(() => box.close());

  test("prints only the key, and the key works against GET /api/v1/me with the role's permissions", async () => {
    const result = await opsbox(["api-keys", "create", "--email", "Admin@Example.com", "--name", "Deploy"], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^obx_[a-z2-9]{8}_[a-z2-9]{32}\n$/);
    const me = await box.fetch("/api/v1/me", { headers: { Authorization: `Bearer ${result.stdout.trim()}` } });
    expect(me.status).toBe(200);
    const body = (await me.json()) as { email: string; permissions: string[] };
    expect(body.email).toBe("admin@example.com");
    expect(body.permissions).toContain("api_keys.manage");
    const audit = box.deps.db.select().from(auditEvents).where(eq(auditEvents.action, "api_key.created")).all();
    expect(audit.at(-1)).toMatchObject({ actorUserId: null, details: { name: "Deploy", via: "cli" } });
  });

  test("works for an invited member, with the scopes asked for", async () => {
    const result = await opsbox(
      ["api-keys", "create", "--email", "invited@example.com", "--name", "Reader", "--scopes", "workspace.read"],
      env,
    );
    expect(result.code).toBe(0);
    const me = await box.fetch("/api/v1/me", { headers: { Authorization: `Bearer ${result.stdout.trim()}` } });
    expect(((await me.json()) as { permissions: string[] }).permissions).toEqual(["workspace.read"]);
  });

  test("errors name the field and exit 1", async () => {
    const cases: [string[], RegExp][] = [
      [["--email", "nobody@example.com", "--name", "x"], /^opsbox: email: nobody has/],
      [["--email", "invited@example.com", "--name", "x", "--scopes", "audit.read"], /^opsbox: scopes: Not allowed/],
      [["--email", "admin@example.com", "--name", "x", "--scopes", "root"], /^opsbox: scopes: /],
      [["--email", "admin@example.com", "--name", "x", "--org", otherOrgId], /^opsbox: org: .* is not a member/],
      [["--email", "admin@example.com", "--name", " "], /^opsbox: name: Enter a name/],
      [["--email", "admin@example.com", "--name", "x", "--expires-at", "soon"], /^opsbox: expires-at: /],
      [["--email", "admin@example.com"], /--name/],
    ];
    for (const [args, message] of cases) {
      const result = await opsbox(["api-keys", "create", ...args], env);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(message);
    }
  });
});

describe("opsbox secrets rotate", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A data directory holding one encrypted SMTP password. */
  function seededDir(env: Record<string, string> = {}): string {
    const dir = makeTempDir("opsbox-cli-rotate-");
    dirs.push(dir);
    const config = loadConfig(testEnv(dir, env));
    const db = openDatabase(databasePath(dir));
    migrate(db);
    const keyring = createKeyring(config.secretKey, config.previousSecretKeys);
    db.insert(instanceSettings)
      .values({
        key: "email",
        value: { provider: "smtp", passwordEncrypted: encryptSecret(keyring, "pw", "settings.email.password") },
        updatedAt: new Date(),
      })
      .run();
    closeDatabase(db);
    return dir;
  }

  test("with a key file: writes a new key, reports the counts and says a running Opsbox picks it up", async () => {
    const dir = seededDir();
    const result = await opsbox(["secrets", "rotate"], { OPSBOX_DATA_DIR: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Re-encrypted 1 secret; 0 still use older keys.");
    expect(result.stdout).toMatch(/Wrote a new secret key \(id [0-9a-f]{8}\)/);
    expect(result.stdout).toContain("A running Opsbox picks up the new key");
  });

  test("with OPSBOX_SECRET_KEY: explains how to rotate it and re-encrypts under the current key", async () => {
    const oldKey = encodeSecretKey(generateSecretKey());
    const dir = seededDir({ OPSBOX_SECRET_KEY: oldKey });
    const result = await opsbox(["secrets", "rotate"], {
      OPSBOX_DATA_DIR: dir,
      OPSBOX_SECRET_KEY: encodeSecretKey(generateSecretKey()),
      OPSBOX_PREVIOUS_SECRET_KEYS: oldKey,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("put the old one in OPSBOX_PREVIOUS_SECRET_KEYS");
    expect(result.stdout).toContain("Re-encrypted 1 secret; 0 still use older keys.");
    expect(result.stdout).not.toContain(oldKey);
  });

  test("exits 1 naming the secrets that no configured key decrypts", async () => {
    const dir = seededDir({ OPSBOX_SECRET_KEY: encodeSecretKey(generateSecretKey()) });
    const result = await opsbox(["secrets", "rotate"], {
      OPSBOX_DATA_DIR: dir,
      OPSBOX_SECRET_KEY: encodeSecretKey(generateSecretKey()),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Re-encrypted 0 secrets; 1 still use older keys.");
    expect(result.stderr).toContain("instance_settings.email.passwordEncrypted");
  });
});
