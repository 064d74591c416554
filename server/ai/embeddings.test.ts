import { afterAll, beforeAll, describe, expect } from "bun:test";
import { testModelEnv, testModelPath, testWith } from "../testing/test-model.ts";
import { type RuntimeUnderTest, startTestRuntime } from "./runtime-test-kit.ts";
import { defaultServingSettings, saveServingSettings } from "./serving-settings.ts";

let runtime: RuntimeUnderTest | null = null;
beforeAll(async () => {
  const path = testModelPath();
  if (!path) return;
  runtime = await startTestRuntime(testModelEnv(path));
  // The smallest context keeps the over-long text below quick to embed on one thread.
  saveServingSettings(runtime.db, { ...defaultServingSettings, contextSize: 256 });
});
afterAll(() => runtime?.close());

const ai = () => {
  if (!runtime) throw new Error("no runtime");
  return runtime.ai;
};

describe("embeddings with the test model", () => {
  testWith("model", "embeddingModel() names the model and its 64 dimensions before anything loads", () => {
    const info = ai().embeddingModel();
    expect(info?.dimensions).toBe(64);
    expect(info?.id).toMatch(/^file:/);
    expect(info?.name).toBe("stories260K");
  });

  testWith("model", "embed() answers one unit-length Float32Array per text, in order", async () => {
    // The last text is longer than the context: it is embedded by its beginning, not refused.
    const texts = ["The boiler needs a service every year.", "Invoices are due in 30 days.", "", "x".repeat(2_000)];
    const vectors = await ai().embed(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector.length).toBe(64);
      const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
      expect(norm).toBeCloseTo(1, 4);
    }
    // The same text embeds the same way, whatever else is in the batch.
    const [again] = await ai().embed([texts[0] ?? ""]);
    expect(Array.from(again ?? [])).toEqual(Array.from(vectors[0] ?? []).map((value) => expect.closeTo(value, 5)));
  });

  testWith("model", "an empty batch is an empty answer; an aborted one throws", async () => {
    expect(await ai().embed([])).toEqual([]);
    const controller = new AbortController();
    controller.abort();
    await expect(ai().embed(["a"], { signal: controller.signal })).rejects.toThrow();
  });
});
