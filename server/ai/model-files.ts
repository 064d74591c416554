import { createHash } from "node:crypto";
import { createReadStream, linkSync, mkdirSync, renameSync, rmSync, statfsSync, statSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { AppError } from "../http/errors.ts";
import { formatBytes } from "../tools/bytes.ts";
import { modelsDir } from "./model-selection.ts";

/** `<data dir>/models`, created on first use (the process's own user only). */
export function ensureModelsDir(dataDir: string): string {
  const dir = modelsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * A file name for a model under models/: the original's name reduced to safe characters, made
 * unique with the model's id so that two models with one name never collide.
 */
export function modelFileName(original: string, modelId: string): string {
  const stem =
    basename(original)
      .replace(/\.gguf$/i, "")
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^[.-]+|[.-]+$/g, "")
      .slice(0, 100) || "model";
  return `${stem}-${modelId.slice(-8).toLowerCase()}.gguf`;
}

/** The name people see: the file's name without `.gguf`. */
export function displayNameOf(original: string): string {
  return (
    basename(original)
      .replace(/\.gguf$/i, "")
      .slice(0, 120) || "model"
  );
}

/** A partial download's path: a dot-file, so that listing models/ never shows it as a model. */
export function partialPath(dataDir: string, fileName: string): string {
  return join(modelsDir(dataDir), `.${fileName}.partial`);
}

export function modelPath(dataDir: string, fileName: string): string {
  return join(modelsDir(dataDir), fileName);
}

/** Bytes free for the process in the models directory's file system. */
export function freeDiskBytes(dataDir: string): number {
  const stats = statfsSync(ensureModelsDir(dataDir));
  return Number(stats.bavail) * Number(stats.bsize);
}

/**
 * Refuses a file that would leave less than the configured minimum free (OPSBOX_MIN_FREE_DISK_MB):
 * a full disk stops the database too.
 */
export function assertDiskRoom(dataDir: string, bytes: number, minFreeBytes: number): void {
  const free = freeDiskBytes(dataDir);
  if (bytes + minFreeBytes > free) {
    throw new AppError(
      "insufficient_storage",
      `Not enough disk space: the model needs ${formatBytes(bytes)} and only ${formatBytes(free)} is free ` +
        `(${formatBytes(minFreeBytes)} must stay free).`,
    );
  }
}

/**
 * Puts a copy of `source` at `target`: a hard link when both are on one file system (instant,
 * no extra space), a copy otherwise. Either way, deleting the original later leaves the model.
 */
export async function linkOrCopy(source: string, target: string, dataDir: string, minFreeBytes: number) {
  try {
    linkSync(source, target);
    return "linked" as const;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EXDEV" && code !== "EPERM" && code !== "EACCES" && code !== "EMLINK") throw error;
  }
  assertDiskRoom(dataDir, statSync(source).size, minFreeBytes);
  const partial = `${target}.partial`;
  try {
    await copyFile(source, partial);
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return "copied" as const;
}

/** The file's sha256, hex, read as a stream (models are gigabytes). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function removeModelFile(dataDir: string, fileName: string): void {
  rmSync(modelPath(dataDir, fileName), { force: true });
  rmSync(partialPath(dataDir, fileName), { force: true });
}
