import type { Context } from "hono";
import { formatBytes } from "../http/body-limit.ts";
import { formFieldDetails } from "../http/control-characters.ts";
import { freeDiskBytes, insufficientStorage } from "../http/disk-space.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError, validationFailed } from "../http/errors.ts";
import { discardStagedFile, type StagedFile, stageFile } from "./files.ts";
import { type UploadFields, uploadFields } from "./schemas.ts";
import { MULTIPART_OVERHEAD_BYTES } from "./upload-limit.ts";

export type ReceivedUpload = { staged: StagedFile; fileName: string; fields: UploadFields };

/**
 * Reads a multipart upload: the `file` part is written to a staged file (hashed on the way)
 * and the other fields validated. The body is refused with 413 before it is read when its
 * declared length is over the limit, and cut off as soon as it passes the limit otherwise, so
 * an oversize upload is never held whole in memory.
 */
export async function receiveUpload(c: Context<AppEnv>): Promise<ReceivedUpload> {
  const { config } = c.var.deps;
  const maxBytes = config.maxUploadBytes;
  const type = c.req.header("Content-Type") ?? "";
  if (!/^multipart\/form-data/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the document as multipart/form-data with a `file` field.");
  }
  const tooLarge = () =>
    new AppError("payload_too_large", `The file is larger than the upload limit of ${formatBytes(maxBytes)}.`);
  const bodyLimit = maxBytes + MULTIPART_OVERHEAD_BYTES;
  const declared = Number(c.req.header("Content-Length") ?? Number.NaN);
  if (declared > bodyLimit) throw tooLarge();
  assertRoomForUpload(config.dataDir, Number.isFinite(declared) ? declared : 0, config.minFreeDiskBytes);
  const body = c.req.raw.body;
  if (!body) throw missingFile();
  const limit = limitBytes(bodyLimit);
  let form: FormData;
  try {
    form = await new Response(body.pipeThrough(limit.stream), { headers: { "Content-Type": type } }).formData();
  } catch {
    if (limit.exceeded()) throw tooLarge();
    throw new AppError("bad_request", "The multipart body could not be read.");
  }
  const file = form.get("file");
  if (!(file instanceof Blob)) throw missingFile();
  const refused = formFieldDetails(form.entries());
  if (refused.length > 0) throw new AppError("validation_failed", "The request is not valid.", refused);
  const fields = uploadFields.safeParse({
    title: text(form, "title"),
    category: text(form, "category"),
    tags: list(form, "tags"),
    equipmentIds: list(form, "equipmentIds"),
    projectIds: list(form, "projectIds"),
  });
  if (!fields.success) throw validationFailed(fields.error);
  if (file.size > maxBytes) throw tooLarge();
  assertRoomForUpload(config.dataDir, file.size, config.minFreeDiskBytes);
  if (file.size === 0)
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "file", message: "The file is empty." },
    ]);
  const staged = await stageFile(config.dataDir, file.stream(), maxBytes);
  const fileName = file instanceof File && file.name ? file.name : "document";
  return { staged, fileName, fields: fields.data };
}

/**
 * The low-disk guard: an upload that would leave less than OPSBOX_MIN_FREE_DISK_MB free is
 * refused with 507 before a byte is written, so the space left stays for the database's small
 * writes (tasks, comments, deletes).
 */
function assertRoomForUpload(dataDir: string, bytes: number, minFreeBytes: number): void {
  const free = freeDiskBytes(dataDir);
  if (free - bytes >= minFreeBytes) return;
  throw insufficientStorage(
    `The disk of this Opsbox is nearly full: ${formatBytes(free)} free, ${formatBytes(bytes)} to upload and ${formatBytes(minFreeBytes)} kept free for the database, so the upload was refused. Delete documents you no longer need, or ask an administrator to free space.`,
  );
}

/** Gives a staged upload back when the request fails after staging (415, 422). */
export function abandonUpload(upload: ReceivedUpload): void {
  discardStagedFile(upload.staged);
}

function missingFile(): AppError {
  return new AppError("validation_failed", "The request is not valid.", [
    { path: "file", message: "Attach the document as the `file` field." },
  ]);
}

/** Passes bytes through until `max`, then errors the stream (the request is then refused with 413). */
function limitBytes(max: number): { stream: TransformStream<Uint8Array, Uint8Array>; exceeded: () => boolean } {
  let seen = 0;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > max) controller.error(new Error("over the upload limit"));
      else controller.enqueue(chunk);
    },
  });
  return { stream, exceeded: () => seen > max };
}

function text(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** A list field: repeated, or one value with commas. */
function list(form: FormData, name: string): string[] {
  return form
    .getAll(name)
    .filter((value): value is string => typeof value === "string")
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);
}
