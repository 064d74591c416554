/**
 * Generation speed through Opsbox's AI runtime against node-llama-cpp called directly, in one
 * run, with the same model file, thread count, context size, prompt and (greedy) sampling, so
 * that both generate the same tokens. Prints both figures and their ratio (goal: ≥ 95 %).
 *
 *   bun bench/ai.ts [--model <gguf>] [--threads 1] [--context 2048] [--tokens 256] [--runs 6]
 *
 * The figure is "through the API". Until the assistant's message endpoint exists, the
 * runtime target below measures AiRuntime.generate(), the path every API request takes; add an
 * HTTP target (see `Target`) once POST /api/v1/conversations/{id}/messages is there.
 * Results are printed, not written: RESULTS.md is kept by hand.
 */
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ChatWrapper, LlamaContextSequence } from "node-llama-cpp";
import { createLlamaRuntime } from "../server/ai/llama-runtime.ts";
import type { AiRuntime } from "../server/ai/runtime.ts";
import { defaultServingSettings, saveServingSettings } from "../server/ai/serving-settings.ts";
import { loadConfig } from "../server/config.ts";
import { closeDatabase, databasePath, openDatabase } from "../server/db.ts";
import { createLogger } from "../server/http/logger.ts";
import { migrate } from "../server/migrate.ts";
import { makeTempDir, testEnv } from "../server/testing/harness.ts";
import { testModelPath } from "../server/testing/tools.ts";
import { describeMachine } from "./machine.ts";

const { values: args } = parseArgs({
  options: {
    model: { type: "string" },
    threads: { type: "string", default: "1" },
    context: { type: "string", default: "2048" },
    tokens: { type: "string", default: "256" },
    runs: { type: "string", default: "6" },
    gpu: { type: "string", default: "off" },
  },
});
const modelPath = args.model ?? testModelPath();
if (!modelPath) throw new Error("no model: pass --model <file.gguf> or set OPSBOX_TEST_MODEL");
const threads = Number(args.threads);
const contextSize = Number(args.context);
const maxTokens = Number(args.tokens);
const runs = Number(args.runs);
const gpu = args.gpu === "auto" ? "auto" : "off";
const prompt = "Once upon a time";

/** One way of generating: returns the tokens it made and how long the whole request took. */
type Target = { name: string; generate: () => Promise<{ tokens: number; ms: number }>; close: () => Promise<void> };

async function runtimeTarget(): Promise<Target> {
  const dataDir = makeTempDir("opsbox-bench-ai-");
  const config = loadConfig(
    testEnv(dataDir, { OPSBOX_CHAT_MODEL: modelPath ?? "", OPSBOX_AI_THREADS: String(threads), OPSBOX_AI_GPU: gpu }),
  );
  const db = openDatabase(databasePath(dataDir));
  migrate(db);
  saveServingSettings(db, { ...defaultServingSettings, contextSize, maxTokens, timeoutSeconds: 3600 });
  const ai: AiRuntime = await createLlamaRuntime({ config, db, log: createLogger("error") });
  return {
    name: "Opsbox runtime (AiRuntime.generate)",
    generate: async () => {
      const started = performance.now();
      const result = await ai.generate([{ role: "user", content: prompt }], { maxTokens, temperature: 0 });
      return { tokens: result.tokens, ms: performance.now() - started };
    },
    close: async () => {
      await ai.close();
      closeDatabase(db);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** node-llama-cpp as its own guide uses it: a chat session on a context, same wrapper as the runtime picks. */
async function directTarget(): Promise<Target> {
  const { getLlama, LlamaChatSession, GeneralChatWrapper, resolveChatWrapper, LlamaLogLevel } = await import(
    "node-llama-cpp"
  );
  const llama = await getLlama({
    gpu: gpu === "off" ? false : "auto",
    build: "never",
    maxThreads: threads,
    logLevel: LlamaLogLevel.error,
  });
  const model = await llama.loadModel({ modelPath: modelPath ?? "", gpuLayers: llama.gpu === false ? 0 : "auto" });
  const context = await model.createContext({ contextSize: Math.min(contextSize, model.trainContextSize), threads });
  const sequence: LlamaContextSequence = context.getSequence();
  const template = (model.fileInfo.metadata.tokenizer as { chat_template?: unknown }).chat_template;
  const chatWrapper: ChatWrapper = typeof template === "string" ? resolveChatWrapper(model) : new GeneralChatWrapper();
  return {
    name: "node-llama-cpp directly (LlamaChatSession.prompt)",
    generate: async () => {
      const session = new LlamaChatSession({ contextSequence: sequence, chatWrapper });
      // The runtime sends only the turns it is given: no default system prompt here either.
      session.setChatHistory([]);
      let tokens = 0;
      const started = performance.now();
      await session.prompt(prompt, { maxTokens, temperature: 0, onToken: (chunk) => (tokens += chunk.length) });
      const ms = performance.now() - started;
      session.dispose();
      return { tokens, ms };
    },
    close: async () => {
      await context.dispose();
      await model.dispose();
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const machine = describeMachine("n/a");
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, bun ${machine.bun}`);
console.log(
  `model: ${modelPath}; threads ${threads}; context ${contextSize}; ${maxTokens} tokens; ${runs} runs each; gpu ${gpu}`,
);
const targets = [await directTarget(), await runtimeTarget()];
const speeds = new Map<string, number[]>(targets.map((target) => [target.name, []]));
const tokenCounts = new Map<string, number[]>(targets.map((target) => [target.name, []]));
// One warm-up each (page-in, buffers), then interleaved runs so that drift hits both alike.
for (const target of targets) await target.generate();
for (let run = 0; run < runs; run += 1) {
  for (const target of targets) {
    const { tokens, ms } = await target.generate();
    speeds.get(target.name)?.push((tokens * 1000) / ms);
    tokenCounts.get(target.name)?.push(tokens);
  }
}
for (const target of targets) await target.close();
const [direct, runtime] = targets.map((target) => median(speeds.get(target.name) ?? []));
for (const target of targets) {
  const all = speeds.get(target.name) ?? [];
  const counts = [...new Set(tokenCounts.get(target.name) ?? [])].join("/");
  console.log(
    `${target.name}: median ${median(all).toFixed(1)} tokens/s ` +
      `(runs: ${all.map((v) => v.toFixed(0)).join(", ")}; tokens per answer: ${counts})`,
  );
}
const ratio = (runtime ?? 0) / (direct ?? 1);
console.log(`ratio runtime/direct: ${(ratio * 100).toFixed(1)} % (goal ≥ 95 %): ${ratio >= 0.95 ? "met" : "NOT met"}`);
