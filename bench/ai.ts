/**
 * Generation speed through Opsbox against node-llama-cpp called directly, in one run, with the
 * same model file, thread count, context size, prompt and (greedy) sampling, so that both
 * generate the same tokens. Two comparisons, run interleaved so that drift hits all alike:
 *
 * - runtime: AiRuntime.generate() in this process vs node-llama-cpp on the same short prompt;
 * - http (the figure): the real server in its own process, answering a question over
 *   SSE (POST /api/v1/conversations/{id}/messages) from one indexed document, vs
 *   node-llama-cpp on the very prompt the assistant builds for it (same rules, excerpt and
 *   question, built by the same code).
 *
 * "Generation" tokens/s is the answer's tokens over the time from its first token to its last
 * (as the client receives them: for the API, as SSE events); the whole request (retrieval,
 * prompt reading, storing the answer) is printed beside it.
 *
 *   bun bench/ai.ts [--model <gguf>] [--threads 1] [--context 2048] [--tokens 256] [--runs 6]
 *                   [--targets runtime,http] [--gpu off|auto]
 *
 * Results are printed, not written: RESULTS.md is kept by hand.
 */
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ChatHistoryItem, ChatWrapper, LlamaModel } from "node-llama-cpp";
import { createLlamaRuntime } from "../server/ai/llama-runtime.ts";
import type { AiRuntime, ChatTurn } from "../server/ai/runtime.ts";
import { defaultServingSettings, saveServingSettings } from "../server/ai/serving-settings.ts";
import { loadConfig } from "../server/config.ts";
import { closeDatabase, databasePath, openDatabase } from "../server/db.ts";
import { createLogger } from "../server/http/logger.ts";
import { buildAnswerPrompt } from "../server/knowledge/assistant/prompt.ts";
import { migrate } from "../server/migrate.ts";
import { makeTempDir, testEnv } from "../server/testing/harness.ts";
import { testModelPath } from "../server/testing/tools.ts";
import { QUESTION, startHttpTarget, startTokenClock, type Timing } from "./ai-http.ts";
import { describeMachine } from "./machine.ts";
import { killLiveServers } from "./server.ts";

const { values: args } = parseArgs({
  options: {
    model: { type: "string" },
    threads: { type: "string", default: "1" },
    context: { type: "string", default: "2048" },
    tokens: { type: "string", default: "256" },
    runs: { type: "string", default: "6" },
    gpu: { type: "string", default: "off" },
    targets: { type: "string", default: "runtime,http" },
  },
});
const modelPath = args.model ?? testModelPath();
if (!modelPath) throw new Error("no model: pass --model <file.gguf> or set OPSBOX_TEST_MODEL");
const threads = Number(args.threads);
const contextSize = Number(args.context);
const maxTokens = Number(args.tokens);
const runs = Number(args.runs);
const gpu = args.gpu === "auto" ? "auto" : "off";
const comparisons = (args.targets ?? "").split(",").filter((name) => name === "runtime" || name === "http");
const storyPrompt: ChatTurn[] = [{ role: "user", content: "Once upon a time" }];

/** One way of generating, measured per answer. */
type Target = { name: string; generate: () => Promise<Timing>; close: () => Promise<void> };

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
      const clock = startTokenClock();
      const started = performance.now();
      const result = await ai.generate(storyPrompt, { maxTokens, temperature: 0, onToken: clock.tick });
      return { tokens: result.tokens, ms: performance.now() - started, generatingMs: clock.generatingMs() };
    },
    close: async () => {
      await ai.close();
      closeDatabase(db);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** node-llama-cpp as its own guide uses it: a model, a context, a chat session per answer. */
async function loadDirect() {
  const { getLlama, LlamaChatSession, GeneralChatWrapper, resolveChatWrapper, LlamaLogLevel } = await import(
    "node-llama-cpp"
  );
  const llama = await getLlama({
    gpu: gpu === "off" ? false : "auto",
    build: "never",
    maxThreads: threads,
    logLevel: LlamaLogLevel.error,
  });
  const model: LlamaModel = await llama.loadModel({
    modelPath: modelPath ?? "",
    gpuLayers: llama.gpu === false ? 0 : "auto",
  });
  const context = await model.createContext({ contextSize: Math.min(contextSize, model.trainContextSize), threads });
  const sequence = context.getSequence();
  const template = (model.fileInfo.metadata.tokenizer as { chat_template?: unknown }).chat_template;
  const chatWrapper: ChatWrapper = typeof template === "string" ? resolveChatWrapper(model) : new GeneralChatWrapper();

  /** A target that answers `promptOf()` (system turns first, then one user turn) with at most `tokens`. */
  const target = (name: string, promptOf: () => ChatTurn[], tokens: number): Target => ({
    name,
    generate: async () => {
      const turns = promptOf();
      const session = new LlamaChatSession({ contextSequence: sequence, chatWrapper });
      // The runtime sends only the turns it is given: no default system prompt here either.
      const history: ChatHistoryItem[] = turns
        .filter((turn) => turn.role === "system")
        .map((turn) => ({ type: "system", text: turn.content }));
      session.setChatHistory(history);
      let generated = 0;
      const clock = startTokenClock();
      const started = performance.now();
      await session.prompt(turns.at(-1)?.content ?? "", {
        maxTokens: tokens,
        temperature: 0,
        onToken: (chunk) => {
          clock.tick();
          generated += chunk.length;
        },
      });
      const ms = performance.now() - started;
      session.dispose();
      return { tokens: generated, ms, generatingMs: clock.generatingMs() };
    },
    close: async () => {},
  });
  return {
    model,
    target,
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

process.on("SIGINT", () => {
  killLiveServers();
  process.exit(130);
});
const machine = describeMachine("n/a");
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, bun ${machine.bun}`);
console.log(
  `model: ${modelPath}; threads ${threads}; context ${contextSize}; ${maxTokens} tokens; ${runs} runs each; gpu ${gpu}`,
);

const direct = await loadDirect();
/** Pairs of [direct, Opsbox] targets, one per comparison. */
const pairs: [Target, Target][] = [];
let serverSpeed: (() => Promise<number | null>) | null = null;
try {
  if (comparisons.includes("runtime")) {
    const short = direct.target("node-llama-cpp directly, short prompt", () => storyPrompt, maxTokens);
    pairs.push([short, await runtimeTarget()]);
  }
  if (comparisons.includes("http")) {
    const http = await startHttpTarget({ modelPath, threads, contextSize, maxTokens, gpu });
    // The prompt the server builds for the question, by the same code and the model's own
    // tokenizer; built afresh per answer, so that its random delimiter costs the same prompt
    // reading as on the server (the rules stay cached, the rest is read again).
    const promptOf = () =>
      buildAnswerPrompt({
        question: QUESTION,
        excerpts: [http.excerpt],
        history: [],
        budget: {
          contextSize: Math.min(contextSize, direct.model.trainContextSize),
          maxAnswerTokens: maxTokens,
          countTokens: (text) => direct.model.tokenize(text).length,
        },
      });
    const assistantPrompt = direct.target(
      "node-llama-cpp directly, the assistant's prompt",
      () => promptOf().turns,
      promptOf().maxAnswerTokens,
    );
    pairs.push([assistantPrompt, http]);
    serverSpeed = http.serverTokensPerSecond;
  }

  const targets = pairs.flat();
  const timings = new Map<Target, Timing[]>(targets.map((target) => [target, []]));
  // One warm-up each (page-in, buffers, the server's tokenizer), then interleaved runs, every
  // other round in reverse order, so that neither side always runs right after the other.
  for (const target of targets) await target.generate();
  for (let run = 0; run < runs; run += 1) {
    for (const target of run % 2 ? [...targets].reverse() : targets) {
      timings.get(target)?.push(await target.generate());
    }
  }

  // N tokens, N - 1 gaps between the first and the last.
  const speed = (timing: Timing) => ((timing.tokens - 1) * 1000) / Math.max(1, timing.generatingMs);
  const whole = (timing: Timing) => (timing.tokens * 1000) / Math.max(1, timing.ms);
  for (const [reference, opsbox] of pairs) {
    console.log("");
    for (const target of [reference, opsbox]) {
      const all = timings.get(target) ?? [];
      const counts = [...new Set(all.map((timing) => timing.tokens))].join("/");
      console.log(
        `${target.name}: generation median ${median(all.map(speed)).toFixed(1)} tokens/s ` +
          `(runs: ${all.map((timing) => speed(timing).toFixed(0)).join(", ")}); whole request median ` +
          `${median(all.map(whole)).toFixed(1)} tokens/s, ${median(all.map((timing) => timing.ms)).toFixed(0)} ms; ` +
          `tokens per answer: ${counts}`,
      );
    }
    const ratio = median((timings.get(opsbox) ?? []).map(speed)) / median((timings.get(reference) ?? []).map(speed));
    const wholeRatio =
      median((timings.get(opsbox) ?? []).map(whole)) / median((timings.get(reference) ?? []).map(whole));
    console.log(
      `ratio ${opsbox.name} / direct: generation ${(ratio * 100).toFixed(1)} % (goal ≥ 95 %: ` +
        `${ratio >= 0.95 ? "met" : "NOT met"}); whole request ${(wholeRatio * 100).toFixed(1)} %`,
    );
  }
  const inside = await serverSpeed?.();
  if (inside) console.log(`the server's runtime measured ${inside.toFixed(1)} tokens/s over its last 20 answers`);
} finally {
  for (const [, opsbox] of pairs) await opsbox.close();
  await direct.close();
}
