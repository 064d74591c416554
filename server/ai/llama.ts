import type { Llama } from "node-llama-cpp";
import type { Logger } from "../http/logger.ts";

type Gpu = "auto" | "off";

const instances = new Map<Gpu, Promise<Llama>>();

/**
 * The process's llama.cpp binding, loaded on first use (servers without models never pay for
 * it) and shared by every runtime in the process. It never builds llama.cpp from source or
 * downloads anything (`build: "never"`): a GPU is used when a prebuilt binary for it works,
 * otherwise the CPU. The runtime sets `maxThreads` to the serving thread count, so that chat and
 * embeddings evaluating at once share the cores instead of oversubscribing them.
 */
export function loadLlama(gpu: Gpu, log: Logger): Promise<Llama> {
  let instance = instances.get(gpu);
  if (!instance) {
    instance = createLlama(gpu, log);
    instances.set(gpu, instance);
    // A failed load may succeed later (a driver installed); do not cache the failure.
    instance.catch(() => instances.delete(gpu));
  }
  return instance;
}

async function createLlama(gpu: Gpu, log: Logger): Promise<Llama> {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({
    gpu: gpu === "off" ? false : "auto",
    build: "never",
    usePrebuiltBinaries: true,
    skipDownload: true,
    progressLogs: false,
    // Never node-llama-cpp's default (all cores, or 4 at least): a 2-core box would spin.
    maxThreads: 1,
    logLevel: LlamaLogLevel.error,
    logger: (level, message) => {
      const text = message.trim();
      if (text) log.warn({ llamaLevel: level }, `llama.cpp: ${text}`);
    },
  });
  log.info({ gpu: llama.gpu || "none", cpuMathCores: llama.cpuMathCores }, "llama.cpp loaded");
  return llama;
}
