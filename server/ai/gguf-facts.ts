import { closeSync, openSync, readSync } from "node:fs";

/** What a GGUF file's header says about the model in it. */
export type GgufFacts = {
  /** general.name, when the file names its model. */
  name: string | null;
  architecture: string | null;
  parameters: number | null;
  /** The file type (Q4_K_M, F16 …), or the dominant tensor type when the file does not say. */
  quantization: string | null;
  contextLength: number | null;
  embeddingLength: number | null;
  /** False for encoder-only models (BERT and kin): they embed, they cannot chat. */
  canGenerate: boolean;
  hasChatTemplate: boolean;
};

const GGUF_MAGIC = "GGUF";

/** True when the file starts with the GGUF magic bytes; checked before anything else reads it. */
export function hasGgufMagic(path: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(path, "r");
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.toString("latin1") === GGUF_MAGIC;
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Encoder-only architectures: they embed, they cannot generate text. */
export const ENCODER_ONLY_ARCHITECTURES: ReadonlySet<string> = new Set([
  "bert",
  "nomic-bert",
  "nomic-bert-moe",
  "jina-bert-v2",
  "neo-bert",
  "modern-bert",
  "t5encoder",
]);

/**
 * Reads the header (metadata and tensor table, never the weights). Throws when it is not a
 * GGUF file. Counted here rather than through GgufInsights, which loads the native binding.
 */
export async function readGgufFacts(path: string): Promise<GgufFacts> {
  const { readGgufFileInfo, GgufFileType, GgmlType } = await import("node-llama-cpp");
  const info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false });
  const general = info.metadata.general;
  const elementsByType = new Map<number, number>();
  let parameters = 0;
  for (const tensor of info.fullTensorInfo ?? []) {
    const elements = tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1);
    parameters += elements;
    elementsByType.set(tensor.ggmlType, (elementsByType.get(tensor.ggmlType) ?? 0) + elements);
  }
  const dominant = [...elementsByType.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const fileType = general.file_type;
  const quantization =
    fileType !== undefined
      ? (GgufFileType[fileType]?.replace(/^(MOSTLY|ALL)_/, "") ?? String(fileType))
      : dominant !== undefined
        ? (GgmlType[dominant] ?? null)
        : null;
  const template = (info.metadata.tokenizer as { chat_template?: unknown } | undefined)?.chat_template;
  const architecture = general.architecture ? String(general.architecture) : null;
  const arch = info.architectureMetadata as { context_length?: number; embedding_length?: number };
  return {
    name: typeof general.name === "string" && general.name.trim() !== "" ? general.name.trim() : null,
    architecture,
    parameters: parameters > 0 ? parameters : null,
    quantization,
    contextLength: typeof arch.context_length === "number" ? arch.context_length : null,
    embeddingLength: typeof arch.embedding_length === "number" ? arch.embedding_length : null,
    canGenerate: !ENCODER_ONLY_ARCHITECTURES.has(architecture ?? ""),
    hasChatTemplate: typeof template === "string" && template.length > 0,
  };
}
