import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { uploadAs } from "../knowledge/test-kit.ts";
import { storedFilePath } from "../knowledge/upload/files.ts";
import { runCli } from "../testing/cli.ts";
import { makeTempDir, startTestApp } from "../testing/harness.ts";
import { sessionCookie, setUpBox } from "../testing/identity.ts";
import { sha256Hex, textDocument } from "../testing/spawned-box.ts";
import { quarantineDir } from "./stored-files.ts";

const dataDir = makeTempDir("opsbox-repair-files-");
const env = { OPSBOX_DATA_DIR: dataDir, OPSBOX_MIN_FREE_DISK_MB: "0" };
const documents: Record<"whole" | "truncated" | "flipped" | "gone", { id: string; sha256: string }> = {
  whole: { id: "", sha256: "" },
  truncated: { id: "", sha256: "" },
  flipped: { id: "", sha256: "" },
  gone: { id: "", sha256: "" },
};

beforeAll(async () => {
  const app = await startTestApp({ dataDir });
  try {
    const acme = await setUpBox(app);
    const cookie = sessionCookie(app, acme.adminId, acme.orgId);
    for (const name of Object.keys(documents) as (keyof typeof documents)[]) {
      const bytes = textDocument(40_000, name);
      const response = await uploadAs(app, cookie, bytes, `${name}.txt`);
      expect(response.status).toBe(202);
      documents[name] = { id: ((await response.json()) as { id: string }).id, sha256: sha256Hex(bytes) };
    }
  } finally {
    await app.close();
  }
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test("opsbox doctor --repair-files passes a box whose stored files are all whole", async () => {
  const result = await runCli(["doctor", "--repair-files"], env);
  expect(result.stdout).toMatch(/^✔ Stored files\s+4 checked, 0 bad$/m);
  expect(result.stdout).toMatch(/^✔ Documents\s+0 without their file$/m);
  expect(result.code).toBe(0);
});

test("opsbox doctor --repair-files quarantines truncated, altered and stray files and lists documents left without their file", async () => {
  const path = (name: keyof typeof documents) => storedFilePath(dataDir, documents[name].sha256);
  truncateSync(path("truncated"), 1000);
  const flipped = readFileSync(path("flipped"));
  flipped[10] = (flipped[10] ?? 0) ^ 1;
  writeFileSync(path("flipped"), flipped);
  unlinkSync(path("gone"));
  // Bytes under another content's name, that no document refers to.
  const stray = sha256Hex(new TextEncoder().encode("not these bytes"));
  writeFileSync(storedFilePath(dataDir, stray), "something else");

  const result = await runCli(["doctor", "--repair-files"], env);
  expect(result.code).toBe(1);
  expect(result.stderr).toBe("opsbox: 6 problem(s) with stored files: see above.\n");
  expect(result.stdout).toMatch(/^✘ Stored files\s+4 checked, 3 bad$/m);
  for (const sha of [documents.truncated.sha256, documents.flipped.sha256, stray]) {
    expect(result.stdout).toContain(`✘ files/${sha}: `);
    expect(existsSync(storedFilePath(dataDir, sha))).toBe(false);
  }
  const quarantined = readdirSync(quarantineDir(dataDir));
  expect(quarantined.map((name) => name.slice(0, 64)).sort()).toEqual(
    [documents.truncated.sha256, documents.flipped.sha256, stray].sort(),
  );
  expect(result.stdout).toMatch(/^✘ Documents\s+3 without their file$/m);
  for (const name of ["truncated", "flipped", "gone"] as const) {
    expect(result.stdout).toContain(`✘ ${documents[name].id} “${name}.txt”`);
  }
  expect(result.stdout).not.toContain(documents.whole.id);
  expect(existsSync(storedFilePath(dataDir, documents.whole.sha256))).toBe(true);

  // Nothing more to move the second time; the documents still wait for their files.
  const again = await runCli(["doctor", "--repair-files"], env);
  expect(again.stdout).toMatch(/^✔ Stored files\s+1 checked, 0 bad$/m);
  expect(again.stdout).toMatch(/^✘ Documents\s+3 without their file$/m);
  expect(readdirSync(quarantineDir(dataDir))).toHaveLength(3);
});
