import type { Llama, LlamaEmbeddingContext, LlamaModel, Token } from "node-llama-cpp";
import { assertModelFits, type MemoryNeed } from "./memory-fit.ts";
import type { ServedModel } from "./model-selection.ts";

/** A loaded embedding model with its one embedding context. */
export type EmbeddingEngine = {
  served: ServedModel;
  dimensions: number;
  contextSize: number;
  embedOne: (text: string) => Promise<Float32Array>;
  dispose: () => Promise<void>;
};

/** Long enough for any chunk worth embedding, short enough that the context stays small. */
const MAX_EMBEDDING_CONTEXT = 8192;

export type EmbeddingEngineOptions = {
  threads: number;
  /** The serving context size: it caps every context, so one setting bounds the memory of both models. */
  contextSize: number;
  freeMemory?: () => number;
};

export async function loadEmbeddingEngine(
  llama: Llama,
  served: ServedModel,
  options: EmbeddingEngineOptions,
): Promise<EmbeddingEngine> {
  const { readGgufFileInfo } = await import("node-llama-cpp");
  const info = await readGgufFileInfo(served.path, { logWarnings: false });
  const trained = (info.architectureMetadata as { context_length?: number }).context_length ?? 2048;
  const contextSize = Math.min(trained, options.contextSize, MAX_EMBEDDING_CONTEXT);
  const threads = options.threads;
  const freeMemory = options.freeMemory;
  const need: MemoryNeed = { contextSize, sequences: 1, embedding: true };
  await assertModelFits(llama, served.path, served.name, need, freeMemory);
  const model = await llama.loadModel({ modelPath: served.path, gpuLayers: llama.gpu === false ? 0 : "auto" });
  let context: LlamaEmbeddingContext;
  try {
    // The whole input must fit one batch for the pooled vector: batch = context.
    context = await model.createEmbeddingContext({ threads, contextSize, batchSize: contextSize });
  } catch (error) {
    await model.dispose();
    throw error;
  }
  const engine: EmbeddingEngine = {
    served,
    dimensions: model.embeddingVectorSize,
    contextSize,
    embedOne: (text) => embedOne(model, context, contextSize, text),
    dispose: async () => {
      await context.dispose();
      await model.dispose();
    },
  };
  // Warm-up: the first evaluation pages the weights in and sizes llama.cpp's buffers.
  await engine.embedOne("warm up");
  return engine;
}

async function embedOne(
  model: LlamaModel,
  context: LlamaEmbeddingContext,
  contextSize: number,
  text: string,
): Promise<Float32Array> {
  let tokens: Token[] = model.tokenize(text);
  // A chunk longer than the model's window is embedded by its beginning rather than refused;
  // two places stay free for the beginning and end tokens llama.cpp adds.
  if (tokens.length > contextSize - 2) tokens = tokens.slice(0, contextSize - 2);
  if (tokens.length === 0 && model.tokens.bos !== null) tokens = [model.tokens.bos];
  const embedding = tokens.length === 0 ? [] : (await context.getEmbeddingFor(tokens)).vector;
  return normalize(embedding, model.embeddingVectorSize);
}

/** Unit length, so that a dot product is the cosine similarity. */
export function normalize(values: readonly number[], dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  let sum = 0;
  for (let i = 0; i < dimensions; i += 1) sum += (values[i] ?? 0) ** 2;
  const norm = Math.sqrt(sum);
  if (norm === 0) {
    // Nothing to embed (no tokens at all): a fixed unit vector keeps every caller's math finite.
    if (dimensions > 0) vector[0] = 1;
    return vector;
  }
  for (let i = 0; i < dimensions; i += 1) vector[i] = (values[i] ?? 0) / norm;
  return vector;
}
