import { freemem } from "node:os";
import type { Llama } from "node-llama-cpp";
import { AppError } from "../http/errors.ts";
import { formatBytes } from "../tools/bytes.ts";

export type MemoryNeed = { contextSize: number; sequences: number; embedding: boolean };

/** Head room over node-llama-cpp's estimate, which leaves out some of llama.cpp's buffers. */
const MARGIN = 1.1;

/**
 * Estimates the RAM a model and its context need on the CPU (node-llama-cpp's own estimator,
 * from the GGUF header) and refuses the load when free memory cannot hold it, so that a too
 * large model is a message on the status page instead of the kernel's OOM killer ending the box.
 * On a GPU the weights go to VRAM, which node-llama-cpp checks itself when it loads.
 */
export async function assertModelFits(
  llama: Llama,
  path: string,
  name: string,
  need: MemoryNeed,
  freeBytes: () => number = freemem,
): Promise<void> {
  if (llama.gpu !== false) return;
  const { readGgufFileInfo, GgufInsights } = await import("node-llama-cpp");
  const info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false });
  const insights = await GgufInsights.from(info, llama);
  const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers: 0 });
  const context = await insights.estimateContextResourceRequirementsV2({
    contextSize: need.contextSize,
    sequences: need.sequences,
    modelGpuLayers: 0,
    isEmbeddingContext: need.embedding,
  });
  const required = Math.ceil((model.cpuRam + context.cpuRam) * MARGIN);
  const free = freeBytes();
  if (required > free) throw new AppError("unavailable", notEnoughMemoryMessage(name, required, free, need));
}

export function notEnoughMemoryMessage(name: string, required: number, free: number, need: MemoryNeed): string {
  return (
    `The model ${name} was not loaded: with a ${need.contextSize}-token context it needs about ` +
    `${formatBytes(required)} of memory and only ${formatBytes(free)} is free. ` +
    "Choose a smaller model or lower the context size in Settings → AI."
  );
}
