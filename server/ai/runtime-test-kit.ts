import { rmSync } from "node:fs";
import { loadConfig } from "../config.ts";
import { closeDatabase, type Db, databasePath, openDatabase } from "../db.ts";
import { createLogger } from "../http/logger.ts";
import { migrate } from "../migrate.ts";
import { makeTempDir, testEnv } from "../testing/harness.ts";
import { createLlamaRuntime, type RuntimeOptions } from "./llama-runtime.ts";
import type { AiRuntime } from "./runtime.ts";

export type RuntimeUnderTest = { ai: AiRuntime; db: Db; dataDir: string; close: () => Promise<void> };

/** A runtime over a fresh migrated database, without an HTTP server: for the runtime's own tests. */
export async function startTestRuntime(
  env: Record<string, string>,
  options: RuntimeOptions = {},
): Promise<RuntimeUnderTest> {
  const dataDir = makeTempDir("opsbox-ai-");
  const config = loadConfig(testEnv(dataDir, env));
  const db = openDatabase(databasePath(dataDir));
  migrate(db);
  const log = createLogger("warn", { write: () => {} });
  const ai = await createLlamaRuntime({ config, db, log }, options);
  return {
    ai,
    db,
    dataDir,
    close: async () => {
      await ai.close();
      closeDatabase(db);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
