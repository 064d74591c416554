import { test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const CHROMIUM_PATH = "/usr/bin/chromium";
const PROJECT_ROOT = join(import.meta.dir, "..", "..");

export type Tool = "chromium" | "caddy" | "model";

/** Path of the tiny GGUF test model (see ../shared/models/NOTICE.md), or null when absent. */
export function testModelPath(): string | null {
  const candidates = [process.env.OPSBOX_TEST_MODEL, join(PROJECT_ROOT, "..", "shared", "models", "stories260K.gguf")];
  return candidates.find((path): path is string => Boolean(path && existsSync(path))) ?? null;
}

/** Why a tool is unavailable, or null when it is there. */
export function missingTool(tool: Tool): string | null {
  switch (tool) {
    case "chromium":
      return existsSync(CHROMIUM_PATH) ? null : `chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`;
    case "caddy":
      return Bun.which("caddy") ? null : "caddy not found on PATH (apt-get install caddy)";
    case "model":
      return testModelPath() ? null : "test model not found (set OPSBOX_TEST_MODEL or provide ../shared/models)";
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
