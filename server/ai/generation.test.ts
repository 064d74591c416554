import { afterAll, beforeAll, describe, expect } from "bun:test";
import { AppError } from "../http/errors.ts";
import { testModelEnv, testModelPath, testWith } from "../testing/test-model.ts";
import { type RuntimeUnderTest, startTestRuntime } from "./runtime-test-kit.ts";
import { defaultServingSettings, saveServingSettings } from "./serving-settings.ts";

let runtime: RuntimeUnderTest | null = null;
beforeAll(async () => {
  const path = testModelPath();
  if (path) runtime = await startTestRuntime(testModelEnv(path));
});
afterAll(() => runtime?.close());

const ai = () => {
  if (!runtime) throw new Error("no runtime");
  return runtime.ai;
};
const story = [{ role: "user" as const, content: "Once upon a time" }];

/** Blocks the event loop, as a slow consumer of tokens would, so that timers fire late. */
function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spinning on purpose
  }
}

describe("chat generation with the test model", () => {
  testWith("model", "generate() streams the text it returns, token by token", async () => {
    const pieces: string[] = [];
    const result = await ai().generate(story, { maxTokens: 24, onToken: (text) => pieces.push(text) });
    expect(result.tokens).toBeGreaterThan(0);
    expect(result.tokens).toBeLessThanOrEqual(24);
    expect(result.stopped).toBe(false);
    expect(["finished", "max_tokens"]).toContain(result.stopReason ?? "");
    expect(pieces.length).toBeGreaterThan(0);
    expect(pieces.join("")).toBe(result.text);
    expect(ai().chatModel()).toMatchObject({ name: "stories260K", contextSize: 2048 });
    expect(ai().status?.().recentTokensPerSecond).toBeGreaterThan(0);
  });

  testWith("model", "an abort mid-stream resolves with what was generated and stopped: true", async () => {
    const controller = new AbortController();
    let seen = 0;
    const result = await ai().generate(story, {
      maxTokens: 400,
      signal: controller.signal,
      onToken: () => {
        seen += 1;
        if (seen === 3) controller.abort();
      },
    });
    expect(result).toMatchObject({ stopped: true, stopReason: "aborted" });
    expect(result.tokens).toBeGreaterThanOrEqual(3);
    expect(result.tokens).toBeLessThan(400);
  });

  testWith("model", "an abort before the start never runs the model", async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await ai().generate(story, { signal: controller.signal })).toEqual({
      text: "",
      tokens: 0,
      stopped: true,
      stopReason: "aborted",
    });
  });

  testWith("model", "the request timeout stops a generation as stopped: true, reason timeout", async () => {
    const db = runtime?.db;
    if (!db) throw new Error("no db");
    saveServingSettings(db, { ...defaultServingSettings, timeoutSeconds: 1 });
    try {
      let first = true;
      const result = await ai().generate(story, {
        maxTokens: 2000,
        temperature: 0.8,
        onToken: () => {
          // The first token arrives past the timeout; the next one must not come.
          if (first) busyWait(1100);
          first = false;
        },
      });
      expect(result).toMatchObject({ stopped: true, stopReason: "timeout" });
    } finally {
      saveServingSettings(db, defaultServingSettings);
    }
  });

  testWith("model", "generateJson() answers a value valid for the schema, built by the grammar", async () => {
    const schema = {
      type: "object",
      properties: {
        vendor: { type: "string" },
        total: { type: "number" },
        paid: { type: "boolean" },
        lines: { type: "array", items: { type: "string" }, maxItems: 2 },
      },
      required: ["vendor", "total", "paid", "lines"],
    };
    const value = (await ai().generateJson(schema, [{ role: "user", content: "Read the invoice." }], {
      maxTokens: 400,
    })) as Record<string, unknown>;
    expect(Object.keys(value).sort()).toEqual(["lines", "paid", "total", "vendor"]);
    expect(typeof value.vendor).toBe("string");
    expect(typeof value.total).toBe("number");
    expect(typeof value.paid).toBe("boolean");
    expect(Array.isArray(value.lines)).toBe(true);
    for (const line of value.lines as unknown[]) expect(typeof line).toBe("string");
  });

  testWith("model", "generateJson() cut short by maxTokens is an unavailable error, not half a value", async () => {
    const schema = { type: "object", properties: { story: { type: "string" } }, required: ["story"] };
    const failure = await ai()
      .generateJson(schema, story, { maxTokens: 2 })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe("unavailable");
  });

  testWith("model", "countTokens() uses the model's tokenizer once it is loaded", () => {
    expect(ai().countTokens("hello world")).toBeGreaterThan(0);
    expect(ai().countTokens("")).toBe(0);
  });
});

describe("a model that does not fit in free memory", () => {
  testWith("model", "is refused with a message naming the model, and the status page shows it", async () => {
    const path = testModelPath() ?? "";
    const small = await startTestRuntime(testModelEnv(path), { freeMemory: () => 1000 });
    try {
      const failure = await small.ai.generate(story).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe("unavailable");
      expect((failure as AppError).message).toContain("stories260K");
      expect((failure as AppError).message).toContain("free");
      expect(small.ai.status?.().chat).toMatchObject({ state: "failed" });
      await expect(small.ai.embed(["a"])).rejects.toThrow(/memory/);
    } finally {
      await small.close();
    }
  });
});
