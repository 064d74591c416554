/**
 * The tiny real GGUF test model (test-fixtures/models/NOTICE.md). Finding it and skipping (or, under
 * CI=true, failing) without it is server/testing/tools.ts: `testWith("model", name, fn)` and
 * `testModelPath()`. This file adds what a test server needs to serve it.
 */
export { testModelPath, testWith } from "./tools.ts";

/** Env that makes a test server serve `path` for chat and embeddings, on one thread (2-core boxes). */
export function testModelEnv(path: string, extra: Record<string, string> = {}): Record<string, string> {
  return { OPSBOX_CHAT_MODEL: path, OPSBOX_EMBEDDING_MODEL: path, OPSBOX_AI_THREADS: "1", ...extra };
}
