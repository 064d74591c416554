import { afterAll, beforeAll, describe, expect } from "bun:test";
import { errorOf } from "../auth/people/people-test-kit.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { testModelEnv, testModelPath, testWith } from "../testing/test-model.ts";
import { defaultServingSettings, saveServingSettings } from "./serving-settings.ts";

/**
 * The queue seen through HTTP: a route that generates (as the assistant's will), on a box
 * allowed one generation at a time and no waiting line.
 */
let box: TestApp | null = null;
beforeAll(async () => {
  const path = testModelPath();
  if (!path) return;
  box = await startTestApp({
    env: testModelEnv(path),
    extend: (app) =>
      app.post("/api/v1/test-generate", async (c) => {
        const result = await c.var.deps.ai.generate([{ role: "user", content: "Once upon a time" }], {
          maxTokens: 8,
          signal: c.req.raw.signal,
        });
        return c.json(result);
      }),
  });
  saveServingSettings(box.deps.db, { ...defaultServingSettings, concurrency: 1, queueSize: 0 });
});
afterAll(() => box?.close());

const running = () => {
  if (!box) throw new Error("no box");
  return box;
};

/** A generation that cannot finish on its own soon: the grammar demands thousands of characters. */
function holdTheOnlySlot(signal: AbortSignal): Promise<unknown> {
  return running()
    .deps.ai.generateJson(
      { type: "array", items: { type: "string", minLength: 100 }, minItems: 40 },
      [{ role: "user", content: "Tell a story." }],
      {
        maxTokens: 1500,
        signal,
      },
    )
    .catch((error: unknown) => error);
}

describe("a full generation queue", () => {
  testWith("model", "answers 503 with Retry-After instead of queueing without bound", async () => {
    const box = running();
    const ok = await box.fetch("/api/v1/test-generate", { method: "POST" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ stopped: false });

    const hold = new AbortController();
    const holder = holdTheOnlySlot(hold.signal);
    try {
      const refused = await box.fetch("/api/v1/test-generate", { method: "POST" });
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
      const error = await errorOf(refused);
      expect(error.code).toBe("unavailable");
      expect(box.deps.ai.status?.().queue).toMatchObject({ running: 1, waiting: 0, concurrency: 1, queueSize: 0 });
    } finally {
      hold.abort();
    }
    // Aborting the holder frees the slot: the next request runs.
    expect(await holder).toBeInstanceOf(Error);
    expect((await box.fetch("/api/v1/test-generate", { method: "POST" })).status).toBe(200);
  });

  testWith("model", "a client that disconnects stops its generation", async () => {
    const box = running();
    const client = new AbortController();
    const hold = new AbortController();
    // With the one slot busy and a line of one, the request waits; the client gives up meanwhile.
    saveServingSettings(box.deps.db, { ...defaultServingSettings, concurrency: 1, queueSize: 1 });
    const holder = holdTheOnlySlot(hold.signal);
    try {
      const request = box.fetch("/api/v1/test-generate", { method: "POST", signal: client.signal }).catch((e) => e);
      for (let i = 0; i < 100 && box.deps.ai.status?.().queue.waiting !== 1; i += 1) await Bun.sleep(10);
      expect(box.deps.ai.status?.().queue.waiting).toBe(1);
      client.abort();
      await request;
      for (let i = 0; i < 100 && box.deps.ai.status?.().queue.waiting !== 0; i += 1) await Bun.sleep(10);
      expect(box.deps.ai.status?.().queue.waiting).toBe(0);
    } finally {
      hold.abort();
      await holder;
      saveServingSettings(box.deps.db, { ...defaultServingSettings, concurrency: 1, queueSize: 0 });
    }
  });
});
