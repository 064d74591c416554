import { test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { litestreamBinary } from "../backup/litestream-binary.ts";
import { DOVECOT_PATH } from "./dovecot.ts";

export const CHROMIUM_PATH = "/usr/bin/chromium";
const PROJECT_ROOT = join(import.meta.dir, "..", "..");

export type Tool =
  | "chromium"
  | "caddy"
  | "model"
  | "pdftotext"
  | "shellcheck"
  | "systemd-analyze"
  | "curl"
  | "sqlite3"
  | "litestream"
  | "dovecot";

/** Debian packages of the command-line tools that tests run from PATH. */
const debianPackages = { shellcheck: "shellcheck", "systemd-analyze": "systemd", curl: "curl", sqlite3: "sqlite3" };

/** The tiny GGUF test model shipped as a fixture (test-fixtures/models/NOTICE.md). */
export const TEST_MODEL_FIXTURE = join(PROJECT_ROOT, "test-fixtures", "models", "stories260K.gguf");

/** Where the test model should be: OPSBOX_TEST_MODEL when set, else the repository's fixture. */
function wantedTestModel(): string {
  return process.env.OPSBOX_TEST_MODEL || TEST_MODEL_FIXTURE;
}

/**
 * Path of the test model, or null when absent. A model named by OPSBOX_TEST_MODEL that is
 * missing stays missing (no quiet fall-back), so a mistyped path is reported, not hidden.
 */
export function testModelPath(): string | null {
  const path = wantedTestModel();
  return existsSync(path) ? path : null;
}

/** Why a tool is unavailable, or null when it is there. */
export function missingTool(tool: Tool): string | null {
  switch (tool) {
    case "chromium":
      return existsSync(CHROMIUM_PATH) ? null : `chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`;
    case "caddy":
      return Bun.which("caddy") ? null : "caddy not found on PATH (apt-get install caddy)";
    case "pdftotext":
      return Bun.which("pdftotext") ? null : "pdftotext not found on PATH (apt-get install poppler-utils)";
    case "shellcheck":
    case "systemd-analyze":
    case "curl":
    case "sqlite3":
      return Bun.which(tool) ? null : `${tool} not found on PATH (apt-get install ${debianPackages[tool]})`;
    case "litestream":
      return litestreamBinary(null) && existsSync(litestreamBinary(null) ?? "")
        ? null
        : "litestream not found (npm ci installs @flydotio/litestream-linux-x64 on Linux x64; elsewhere put litestream on PATH)";
    case "dovecot":
      return DOVECOT_PATH ? null : "dovecot not found in /usr/sbin (apt-get install dovecot-imapd)";
    case "model":
      return testModelPath()
        ? null
        : `test model not found at ${wantedTestModel()} (see test-fixtures/models/NOTICE.md)`;
  }
}

/**
 * A test that needs an outside tool: skipped with the reason when the tool is missing,
 * except under CI=true, where a missing tool is a failure.
 */
export function testWith(tool: Tool, name: string, fn: () => void | Promise<void>, timeoutMs?: number): void {
  const missing = missingTool(tool);
  if (!missing) {
    test(name, fn, timeoutMs);
  } else if (process.env.CI === "true") {
    test(name, () => {
      throw new Error(`${missing}; CI=true requires it`);
    });
  } else {
    test.skip(`${name} [skipped: ${missing}]`, fn);
  }
}
