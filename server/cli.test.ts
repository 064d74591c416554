import { afterEach, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { runCli } from "./testing/cli.ts";
import { makeTempDir } from "./testing/harness.ts";

const _CLI = join(import.meta.dir, "cli.ts");
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = makeTempDir("opsbox-cli-");
  dirs.push(dir);
  return dir;
}

const opsbox = (args: string[], env: Record<string, string> = {}) => runCli(args, env);

test("opsbox version prints the Opsbox, Bun and SQLite versions", async () => {
  const result = await opsbox(["version"]);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(
    new RegExp(`^opsbox ${pkg.version} \\(bun ${Bun.version}, sqlite 3\\.\\d+\\.\\d+\\)\n$`),
  );
});

test("opsbox migrate applies migrations once, then says the database is up to date", async () => {
  const dir = dataDir();
  const first = await opsbox(["migrate"], { OPSBOX_DATA_DIR: dir });
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/^Applied \d+ migration\(s\): 0000_foundation/);
  const second = await opsbox(["migrate"], { OPSBOX_DATA_DIR: dir });
  expect(second.stdout).toBe("The database is up to date.\n");
});

test("opsbox doctor reports every check and exits 0 on a healthy box", async () => {
  const dir = dataDir();
  await opsbox(["migrate"], { OPSBOX_DATA_DIR: dir });
  const result = await opsbox(["doctor"], { OPSBOX_DATA_DIR: dir });
  expect(result.code).toBe(0);
  for (const name of ["Bun", "SQLite", "Data directory", "Free disk", "Database", "CPU cores", "Memory", "AI models"]) {
    expect(result.stdout).toMatch(new RegExp(`^[✔!] ${name}`, "m"));
  }
  expect(result.stdout).toContain("sqlite-vec v");
  expect(result.stdout).toMatch(/^! AI models\s+none installed/m);
  expect(result.stdout).toContain("All required checks passed.");
});

test("opsbox doctor lists installed models", async () => {
  const dir = dataDir();
  await Bun.write(join(dir, "models", "phi-3-mini.Q4_K_M.gguf"), "GGUF");
  const result = await opsbox(["doctor"], { OPSBOX_DATA_DIR: dir });
  expect(result.stdout).toMatch(/^✔ AI models\s+phi-3-mini\.Q4_K_M\.gguf/m);
});

test("opsbox doctor exits 1 and marks the failing check when something is wrong", async () => {
  const result = await opsbox(["doctor"], { OPSBOX_DATA_DIR: dataDir(), OPSBOX_MIN_FREE_DISK_MB: "999999999" });
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^✘ Free disk .* below the minimum/m);
  expect(result.stderr).toBe("opsbox: 1 check(s) failed.\n");
});

test("a bad setting makes every command exit 1 with one line", async () => {
  const result = await opsbox(["doctor"], { OPSBOX_DATA_DIR: dataDir(), OPSBOX_LOG_LEVEL: "chatty" });
  expect(result.code).toBe(1);
  expect(result.stderr).toStartWith("opsbox: OPSBOX_LOG_LEVEL: must be one of");
});

test("an unknown command exits non-zero with the usage", async () => {
  const result = await opsbox(["frobnicate"]);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain("unknown command 'frobnicate'");
});
