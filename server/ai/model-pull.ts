import { createHash } from "node:crypto";
import { renameSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { eq } from "drizzle-orm";
import { type AiModel, aiModels } from "../../models/ai.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db.ts";
import { AppError } from "../http/errors.ts";
import type { Logger } from "../http/logger.ts";
import { OutboundRequestError, openOutbound } from "../outbound/outbound-fetch.ts";
import { findAllowedPrivateHosts } from "../outbound/outbound-hosts.ts";
import { newId } from "../tools/ids.ts";
import { hasGgufMagic, readGgufFacts } from "./gguf-facts.ts";
import { auditModelChange, type ModelActor } from "./model-actor.ts";
import {
  assertDiskRoom,
  displayNameOf,
  ensureModelsDir,
  freeDiskBytes,
  modelFileName,
  modelPath,
  partialPath,
} from "./model-files.ts";
import { describeSource, fileNameOfUrl, resolvePullUrl } from "./pull-source.ts";

export type PullDeps = { config: Config; db: Db; log: Logger };
export type PullInput = { url: string; sha256?: string | undefined; name?: string | undefined };
export type PullProgress = (downloadedBytes: number, totalBytes: number | null) => void;

/**
 * Downloads running in this process, by model id: a delete stops one, and stopping the box
 * stops them all and waits for their last write.
 */
const running = new Map<string, { controller: AbortController; finished: Promise<AiModel> }>();
/** A server that sends nothing for this long has stalled. */
const IDLE_TIMEOUT_MS = 60_000;
/** How often progress reaches the database (and so the page that polls it). */
const PROGRESS_EVERY_MS = 500;

/**
 * Stops every running download and waits until each has written its end, so the database is
 * closed after them: a stop hook. The models read as failed, to be pulled again.
 */
export async function stopPulls(): Promise<void> {
  const reason = "The download was interrupted because Opsbox stopped. Delete it and pull again.";
  const pulls = [...running.values()];
  for (const { controller } of pulls) controller.abort(new DOMException(reason, "AbortError"));
  await Promise.all(pulls.map(({ finished }) => finished));
}

/** Stops a running download (its model is being deleted); a no-op for any other id. */
export function cancelPull(modelId: string): void {
  running.get(modelId)?.controller.abort(new DOMException("The download was cancelled.", "AbortError"));
}

/**
 * Starts a pull: reaches the server through the guarded outbound fetch, checks the answer and
 * the free disk space against its Content-Length, records the model as downloading, and
 * streams the file in the background. Returns the new row at once (the API answers 202) and
 * `finished`, which settles with the final row (ready or failed) and never rejects.
 */
export async function startPull(
  deps: PullDeps,
  actor: ModelActor,
  input: PullInput,
  onProgress?: PullProgress,
): Promise<{ model: AiModel; finished: Promise<AiModel> }> {
  const allowed = findAllowedPrivateHosts(deps.db);
  const url = resolvePullUrl(input.url, allowed);
  const controller = new AbortController();
  const response = await openOutbound(url, {
    allowedPrivateHosts: allowed,
    timeoutMs: 30_000,
    maxRedirects: 5,
    headers: { Accept: "application/octet-stream", "User-Agent": "opsbox-model-pull" },
    signal: controller.signal,
  }).catch((error: unknown) => {
    if (error instanceof OutboundRequestError) throw badSource(error.message);
    throw error;
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw badSource(`${url.host} answered ${response.status} for this file.`);
  }
  const declared = Number(response.headers.get("Content-Length") ?? "");
  const total = Number.isFinite(declared) && declared > 0 ? declared : null;
  try {
    if (total !== null) assertDiskRoom(deps.config.dataDir, total, deps.config.minFreeDiskBytes);
  } catch (error) {
    await response.body?.cancel();
    throw error;
  }
  const id = newId("mdl");
  const original = fileNameOfUrl(url);
  const model = deps.db
    .insert(aiModels)
    .values({
      id,
      name: input.name?.trim() || displayNameOf(original),
      fileName: modelFileName(original, id),
      source: describeSource(input.url, url),
      status: "downloading",
      sizeBytes: total,
      downloadedBytes: 0,
    })
    .returning()
    .get();
  auditModelChange(deps.db, actor, "ai.model_pull_started", id, { name: model.name, source: model.source });
  const finished = download(deps, model, response.body, { total, expected: input.sha256, controller, onProgress })
    .catch((error: unknown) => failPull(deps, model, error))
    .finally(() => running.delete(id));
  running.set(id, { controller, finished });
  return { model, finished };
}

function badSource(message: string): AppError {
  return new AppError("validation_failed", "The model cannot be pulled from there.", [{ path: "url", message }]);
}

type DownloadOptions = {
  total: number | null;
  expected: string | undefined;
  controller: AbortController;
  onProgress: PullProgress | undefined;
};

async function download(
  deps: PullDeps,
  model: AiModel,
  body: ReadableStream<Uint8Array> | null,
  options: DownloadOptions,
): Promise<AiModel> {
  const { config, db } = deps;
  if (!body) throw new Error("The server sent no file.");
  ensureModelsDir(config.dataDir);
  const partial = partialPath(config.dataDir, model.fileName);
  const file = await open(partial, "w", 0o600);
  const hash = createHash("sha256");
  let received = 0;
  let reported = 0;
  let idle = setTimeout(() => options.controller.abort(stalled()), IDLE_TIMEOUT_MS);
  const reader = body.getReader();
  const cancelReader = () => void reader.cancel().catch(() => {});
  options.controller.signal.addEventListener("abort", cancelReader, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      options.controller.signal.throwIfAborted();
      if (done) break;
      clearTimeout(idle);
      idle = setTimeout(() => options.controller.abort(stalled()), IDLE_TIMEOUT_MS);
      received += value.byteLength;
      if (options.total !== null && received > options.total)
        throw new Error("The server sent more than it announced.");
      hash.update(value);
      await file.write(value);
      if (Date.now() - reported >= PROGRESS_EVERY_MS) {
        reported = Date.now();
        db.update(aiModels).set({ downloadedBytes: received }).where(eq(aiModels.id, model.id)).run();
        options.onProgress?.(received, options.total);
        // Without a Content-Length the size is only known at the end: keep the disk from filling.
        if (options.total === null && freeDiskBytes(config.dataDir) < config.minFreeDiskBytes) {
          throw new Error("The disk is almost full: the download was stopped.");
        }
      }
    }
  } finally {
    clearTimeout(idle);
    options.controller.signal.removeEventListener("abort", cancelReader);
    await file.close();
  }
  options.onProgress?.(received, options.total);
  if (options.total !== null && received !== options.total) {
    throw new Error(`The download ended after ${received} of ${options.total} bytes.`);
  }
  const sha256 = hash.digest("hex");
  if (options.expected && options.expected.toLowerCase() !== sha256) {
    throw new Error(`The file's sha256 is ${sha256}, not the expected ${options.expected.toLowerCase()}.`);
  }
  if (!hasGgufMagic(partial)) throw new Error("The file is not a GGUF model.");
  const facts = await readGgufFacts(partial);
  renameSync(partial, modelPath(config.dataDir, model.fileName));
  const ready = db
    .update(aiModels)
    .set({
      status: "ready",
      statusReason: null,
      sha256,
      sizeBytes: received,
      downloadedBytes: received,
      architecture: facts.architecture,
      parameters: facts.parameters,
      quantization: facts.quantization,
      contextLength: facts.contextLength,
      embeddingLength: facts.embeddingLength,
    })
    .where(eq(aiModels.id, model.id))
    .returning()
    .get();
  deps.log.info({ model: model.id, bytes: received, sha256 }, "model pulled");
  // Deleted while finishing: the row is gone, so the file must go too.
  if (!ready) rmSync(modelPath(config.dataDir, model.fileName), { force: true });
  return ready ?? { ...model, status: "failed", statusReason: "Deleted during the download." };
}

function stalled(): DOMException {
  return new DOMException(`The server sent nothing for ${IDLE_TIMEOUT_MS / 1000} seconds.`, "TimeoutError");
}

function failPull(deps: PullDeps, model: AiModel, error: unknown): AiModel {
  rmSync(partialPath(deps.config.dataDir, model.fileName), { force: true });
  const reason = error instanceof Error ? error.message : String(error);
  deps.log.warn({ model: model.id, reason }, "model pull failed");
  const failed = deps.db
    .update(aiModels)
    .set({ status: "failed", statusReason: reason.slice(0, 500) })
    .where(eq(aiModels.id, model.id))
    .returning()
    .get();
  return failed ?? { ...model, status: "failed", statusReason: reason };
}
