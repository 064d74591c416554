import { afterAll, beforeAll, describe, expect } from "bun:test";
import { AppError } from "../http/errors.ts";
import { testModelEnv, testModelPath, testWith } from "../testing/test-model.ts";
import { type RuntimeUnderTest, startTestRuntime } from "./runtime-test-kit.ts";
import { defaultServingSettings, type ServingSettings, saveServingSettings } from "./serving-settings.ts";

/*
 * What bounds a generation: the admin's max-tokens setting (chat answers only), the window
 * left after the prompt, and the model's own tokenizer measuring the prompt. Never asserts on
 * the test model's wording.
 */

let runtime: RuntimeUnderTest | null = null;
beforeAll(async () => {
  const path = testModelPath();
  if (path) runtime = await startTestRuntime(testModelEnv(path));
});
afterAll(() => runtime?.close());

const under = () => {
  if (!runtime) throw new Error("no runtime");
  return runtime;
};
const serve = (settings: Partial<ServingSettings>) =>
  saveServingSettings(under().db, { ...defaultServingSettings, ...settings });
const story = [{ role: "user" as const, content: "Once upon a time" }];
const schema = { type: "object", properties: { story: { type: "string" } }, required: ["story"] };
const failureOf = (promise: Promise<unknown>) => promise.then(() => null).catch((error: unknown) => error);

/** Words until `countTokens` says `tokens` (by the model's tokenizer): a prompt of a known size. */
function textOfTokens(tokens: number): string {
  const { ai } = under();
  let text = "";
  while (ai.countTokens(`${text} little`) <= tokens) text += " little";
  return text.trim();
}

describe("the max-tokens setting", () => {
  testWith("model", "caps generate(): a caller may ask for fewer tokens, never more", async () => {
    serve({ maxTokens: 6 });
    try {
      const { ai } = under();
      expect(ai.chatModel()?.maxAnswerTokens).toBe(6);
      const asked = await ai.generate(story, { maxTokens: 400, temperature: 0 });
      expect(asked.tokens).toBeGreaterThan(0);
      expect(asked.tokens).toBeLessThanOrEqual(6);
      const fewer = await ai.generate(story, { maxTokens: 3, temperature: 0 });
      expect(fewer.tokens).toBeLessThanOrEqual(3);
      const unasked = await ai.generate(story, { temperature: 0 });
      expect(unasked.tokens).toBeLessThanOrEqual(6);
    } finally {
      serve({});
    }
  });

  testWith("model", "does not cut generateJson() short: structured extraction has its own bound", async () => {
    serve({ maxTokens: 2 });
    try {
      // Two tokens cannot hold {"story": …}; the caller's own bound applies instead.
      const value = (await under().ai.generateJson(schema, story, { maxTokens: 400, temperature: 0 })) as {
        story: unknown;
      };
      expect(typeof value.story).toBe("string");
    } finally {
      serve({});
    }
  });
});

describe("the prompt against the window", () => {
  testWith("model", "countTokens() is the model's tokenizer once loadTokenizer() resolves, engine or not", async () => {
    const path = testModelPath() ?? "";
    const fresh = await startTestRuntime(testModelEnv(path));
    try {
      const text = "Keep the boiler pressure between 1.0 and 1.5 bar when the system is cold.";
      const estimate = fresh.ai.countTokens(text);
      await fresh.ai.loadTokenizer();
      expect(fresh.ai.status?.().chat?.state).toBe("not_loaded");
      const counted = fresh.ai.countTokens(text);
      expect(counted).not.toBe(estimate);
      await fresh.ai.generate(story, { maxTokens: 1 });
      expect(fresh.ai.status?.().chat?.state).toBe("ready");
      expect(fresh.ai.countTokens(text)).toBe(counted);

      // A new window reloads the engine; the tokenizer is the file's and counts on meanwhile.
      saveServingSettings(fresh.db, { ...defaultServingSettings, contextSize: 512 });
      expect(fresh.ai.countTokens(text)).toBe(counted);
      expect(fresh.ai.countTokens("")).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  testWith(
    "model",
    "a prompt that leaves no room for an answer is a 422 naming the window, never a crash",
    async () => {
      serve({ contextSize: 256 });
      try {
        const { ai } = under();
        await ai.loadTokenizer();
        const long = textOfTokens(300);
        for (const turns of [
          [{ role: "user" as const, content: long }],
          [
            { role: "system" as const, content: long },
            { role: "user" as const, content: "Go on." },
          ],
        ]) {
          const failure = await failureOf(ai.generate(turns, { maxTokens: 50 }));
          expect(failure).toBeInstanceOf(AppError);
          expect((failure as AppError).code).toBe("validation_failed");
          expect((failure as AppError).details[0]?.path).toBe("prompt");
          expect((failure as AppError).details[0]?.message).toContain("256-token window");
        }
        const json = await failureOf(ai.generateJson(schema, [{ role: "user", content: long }], { maxTokens: 50 }));
        expect((json as AppError).code).toBe("validation_failed");
      } finally {
        serve({});
      }
    },
  );

  testWith("model", "an answer is cut to what the window leaves after the prompt", async () => {
    serve({ contextSize: 256, maxTokens: 400 });
    try {
      const { ai } = under();
      await ai.loadTokenizer();
      const turns = [{ role: "user" as const, content: textOfTokens(200) }];
      const result = await ai.generate(turns, { maxTokens: 400, temperature: 0.8 });
      expect(result.stopped).toBe(false);
      // 256 minus the 200 tokens of text and the template's own: at most 56 are left.
      expect(result.tokens).toBeLessThanOrEqual(56);
    } finally {
      serve({});
    }
  });
});
