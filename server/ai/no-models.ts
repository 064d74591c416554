import { AppError } from "../http/errors.ts";
import type { AiRuntime } from "./runtime.ts";

const noModel = (what: string) =>
  new AppError("unavailable", `No ${what} model is installed: an admin can add one in Settings → AI.`);

/** A runtime with no models: the box works, search is keyword-only, the assistant says what to install. */
export function createRuntimeWithoutModels(): AiRuntime {
  return {
    embeddingModel: () => null,
    embed: async () => {
      throw noModel("embedding");
    },
    chatModel: () => null,
    countTokens: (text) => Math.ceil(text.length / 4),
    loadTokenizer: async () => {},
    generate: async () => {
      throw noModel("chat");
    },
    generateJson: async () => {
      throw noModel("chat");
    },
    close: async () => {},
  };
}
