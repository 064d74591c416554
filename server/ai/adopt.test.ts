import { afterAll, describe, expect } from "bun:test";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { instanceSettings } from "../../models/instance.ts";
import { makeTempDir } from "../testing/harness.ts";
import { setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { testModelPath, testWith } from "../testing/test-model.ts";
import { findChosenModelIds } from "./model-selection.ts";
import { listModels } from "./models-service.ts";

const dataDir = makeTempDir("opsbox-adopt-");
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("model files copied into the models folder by hand", () => {
  testWith("model", "are registered at start, and the setup wizard's choice applies to them", async () => {
    const first = await startInProcessApp({ dataDir, env: { OPSBOX_AI_THREADS: "1" } });
    await setUpBox(first);
    // What the wizard's AI step records: the file names the admin typed.
    first.deps.db
      .update(instanceSettings)
      .set({ value: { chatModel: "stories.gguf" } })
      .where(eq(instanceSettings.key, "ai"))
      .run();
    await first.close();
    mkdirSync(join(dataDir, "models"), { recursive: true });
    copyFileSync(testModelPath() ?? "", join(dataDir, "models", "stories.gguf"));
    writeFileSync(join(dataDir, "models", "broken.gguf"), "not a model");

    const second = await startInProcessApp({ dataDir, env: { OPSBOX_AI_THREADS: "1" } });
    try {
      for (let attempt = 0; attempt < 200 && !second.deps.ai.chatModel(); attempt += 1) await Bun.sleep(20);
      const models = listModels(second.deps.db);
      expect(models.map((model) => model.fileName)).toEqual(["stories.gguf"]);
      expect(models[0]).toMatchObject({ status: "ready", architecture: "llama", name: "stories" });
      expect(findChosenModelIds(second.deps.db)).toEqual({ chat: models[0]?.id ?? "", embedding: null });
      expect(second.deps.ai.chatModel()?.id).toBe(models[0]?.id ?? "");
    } finally {
      await second.close();
    }
  });
});
