import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { decryptSecret, encryptSecret, keyIdOf } from "../../tools/secrets.ts";
import { rotateSecretKey } from "./secret-rotation.ts";

let box: TestApp;
beforeAll(async () => {
  box = await startInProcessApp();
});
afterAll(() => box.close());

test("a running server reads secrets re-encrypted by `secrets rotate` without a restart, then encrypts under the new key", () => {
  const oldKeyId = box.deps.keyring.current.id;
  // A secret stored the way rotation finds them (the backups setting), under the key the server started with.
  box.deps.db.$client.run("INSERT INTO instance_settings (key, value, updated_at) VALUES ('backups', ?, 0)", [
    JSON.stringify({
      enabled: true,
      secretAccessKeyEncrypted: encryptSecret(box.deps.keyring, "s3-secret", "settings.backups.secretAccessKey"),
    }),
  ]);
  const result = rotateSecretKey({ config: box.config, db: box.deps.db });
  expect(result.reencrypted).toBeGreaterThan(0);
  const row = box.deps.db.$client.query("SELECT value FROM instance_settings WHERE key = 'backups'").get() as {
    value: string;
  };
  const moved = JSON.parse(row.value).secretAccessKeyEncrypted as string;
  expect(keyIdOf(moved)).not.toBe(oldKeyId);

  expect(decryptSecret(box.deps.keyring, moved, "settings.backups.secretAccessKey")).toBe("s3-secret");
  expect(keyIdOf(encryptSecret(box.deps.keyring, "new value"))).toBe(keyIdOf(moved));
});
