import { afterAll, describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../config.ts";
import { closeDatabase, databasePath, openDatabase } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { migrate } from "../migrate.ts";
import { makeTempDir, testEnv } from "../testing/harness.ts";
import { physicalCores } from "./cpu-cores.ts";
import { environmentModelId } from "./model-selection.ts";
import {
  defaultServingSettings,
  effectiveServing,
  saveServingSettings,
  servingSettingsSchema,
} from "./serving-settings.ts";
import { WorkQueue } from "./work-queue.ts";

const dir = makeTempDir("opsbox-ai-settings-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = (extra: Record<string, string>) => loadConfig(testEnv(dir, extra));

describe("AI configuration", () => {
  test("without model variables nothing is overridden and the GPU is used when there is one", () => {
    expect(config({}).ai).toEqual({ chatModelPath: null, embeddingModelPath: null, threads: null, gpu: "auto" });
  });

  test("model paths must name a file, and become absolute", () => {
    const file = join(dir, "m.gguf");
    writeFileSync(file, "GGUF");
    expect(config({ OPSBOX_CHAT_MODEL: file, OPSBOX_AI_THREADS: "2", OPSBOX_AI_GPU: "off" }).ai).toEqual({
      chatModelPath: file,
      embeddingModelPath: null,
      threads: 2,
      gpu: "off",
    });
    expect(() => config({ OPSBOX_EMBEDDING_MODEL: join(dir, "missing.gguf") })).toThrow(
      new ConfigError(
        `OPSBOX_EMBEDDING_MODEL: cannot use ${join(dir, "missing.gguf")} as a GGUF model file: no such file or directory`,
      ),
    );
    expect(() => config({ OPSBOX_CHAT_MODEL: dir })).toThrow(/OPSBOX_CHAT_MODEL/);
  });

  test("thread counts and the GPU switch are validated", () => {
    expect(() => config({ OPSBOX_AI_THREADS: "0" })).toThrow(/OPSBOX_AI_THREADS/);
    expect(() => config({ OPSBOX_AI_THREADS: "1000" })).toThrow(/at most 256/);
    expect(() => config({ OPSBOX_AI_GPU: "cuda" })).toThrow(/OPSBOX_AI_GPU: must be auto or off/);
  });

  test("an environment model's id follows its path and size", () => {
    const file = join(dir, "id.gguf");
    writeFileSync(file, "GGUF one");
    const first = environmentModelId(file);
    expect(first).toMatch(/^file:[0-9a-f]{16}$/);
    expect(environmentModelId(file)).toBe(first);
    writeFileSync(file, "GGUF other size");
    expect(environmentModelId(file)).not.toBe(first);
  });
});

describe("serving settings", () => {
  test("the defaults are within their own bounds", () => {
    expect(servingSettingsSchema.parse(defaultServingSettings)).toEqual(defaultServingSettings);
  });

  test("threads: the environment, else the setting, else the physical cores", () => {
    const db = openDatabase(databasePath(dir));
    try {
      migrate(db);
      const base = config({}).ai;
      expect(effectiveServing(db, base)).toMatchObject({ threads: physicalCores(), threadsFrom: "physical cores" });
      saveServingSettings(db, { ...defaultServingSettings, threads: 3 });
      expect(effectiveServing(db, base)).toMatchObject({ threads: 3, threadsFrom: "setting" });
      expect(effectiveServing(db, { ...base, threads: 1 })).toMatchObject({ threads: 1, threadsFrom: "environment" });
    } finally {
      closeDatabase(db);
    }
  });

  test("physical cores are at least one and at most the logical CPUs", () => {
    expect(physicalCores()).toBeGreaterThanOrEqual(1);
    expect(physicalCores()).toBeLessThanOrEqual(navigator.hardwareConcurrency);
  });
});

describe("the work queue", () => {
  const gate = () => {
    let open = () => {};
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { open, opened };
  };

  test("runs at most `concurrency` jobs, lines up `queueSize` more and refuses the next with Retry-After", async () => {
    const queue = new WorkQueue(
      () => ({ concurrency: 1, queueSize: 1 }),
      () => 7,
      "busy",
    );
    const first = gate();
    const order: string[] = [];
    const a = queue.run(
      async () => {
        await first.opened;
        order.push("a");
      },
      undefined,
      () => {},
    );
    const b = queue.run(
      async () => {
        order.push("b");
      },
      undefined,
      () => {},
    );
    expect(queue.state()).toMatchObject({ running: 1, waiting: 1 });
    const refused = await queue
      .run(
        async () => "c",
        undefined,
        () => "abandoned",
      )
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(503);
    expect((refused as AppError).headers).toEqual({ "Retry-After": "7" });
    first.open();
    await Promise.all([a, b]);
    expect(order).toEqual(["a", "b"]);
    expect(queue.state()).toMatchObject({ running: 0, waiting: 0 });
  });

  test("a job whose signal aborts while it waits leaves the line and never starts", async () => {
    const queue = new WorkQueue(
      () => ({ concurrency: 1, queueSize: 4 }),
      () => 1,
      "busy",
    );
    const first = gate();
    const a = queue.run(
      () => first.opened,
      undefined,
      () => {},
    );
    const controller = new AbortController();
    let started = false;
    const b = queue.run(
      async () => {
        started = true;
        return "ran";
      },
      controller.signal,
      () => "abandoned",
    );
    controller.abort();
    expect(await b).toBe("abandoned");
    expect(queue.state().waiting).toBe(0);
    first.open();
    await a;
    expect(started).toBe(false);
  });
});
