import Busboy, { type BusboyFileStream, type BusboyInstance } from "@fastify/busboy";
import type { Context } from "hono";
import { formFieldDetails } from "../../http/control-characters.ts";
import { freeDiskBytes, insufficientStorage } from "../../http/disk-space.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError, validationFailed } from "../../http/errors.ts";
import { MULTIPART_OVERHEAD_BYTES } from "../../http/upload-limit.ts";
import { formatBytes } from "../../tools/bytes.ts";
import { type UploadFields, uploadFields } from "../schemas.ts";
import { discardStagedFile, type StagedFile, stageFile } from "./files.ts";

export type ReceivedUpload = { staged: StagedFile; fileName: string; fields: UploadFields };

/**
 * Reads a multipart upload as it arrives: the `file` part is piped straight into a staged file
 * (hashed, counted and synced on the way, see stageFile) and the other fields, small text, are
 * kept and validated once the body has ended. Only a chunk or two of the body is in memory at a
 * time, whatever the file's size. The body is refused with 413 before it is read when its
 * declared length is over the limit, and cut off as soon as it passes the limit otherwise; on
 * any failure the staged file is removed.
 */
export async function receiveUpload(c: Context<AppEnv>): Promise<ReceivedUpload> {
  const { config } = c.var.deps;
  const maxBytes = config.maxUploadBytes;
  const type = c.req.header("Content-Type") ?? "";
  if (!/^multipart\/form-data/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the document as multipart/form-data with a `file` field.");
  }
  const bodyLimit = maxBytes + MULTIPART_OVERHEAD_BYTES;
  const declared = Number(c.req.header("Content-Length") ?? Number.NaN);
  if (declared > bodyLimit) throw tooLarge(maxBytes);
  assertRoomForUpload(config.dataDir, Number.isFinite(declared) ? declared : 0, config.minFreeDiskBytes);
  const body = c.req.raw.body;
  if (!body) throw missingFile();
  const form = await streamForm(body, type, {
    dataDir: config.dataDir,
    maxBytes,
    minFreeBytes: config.minFreeDiskBytes,
  });
  try {
    return checkForm(form);
  } catch (error) {
    if (form.staged) discardStagedFile(form.staged);
    throw error;
  }
}

/** What a multipart body held: the staged `file` part (if any) and the text fields, in order. */
type StreamedForm = { staged: StagedFile | null; fileName: string; fields: [string, string][]; fileNames: string[] };

function checkForm(form: StreamedForm): ReceivedUpload {
  const { staged } = form;
  if (!staged) throw missingFile();
  // File parts are checked by name only, as FormData entries that are not text.
  const refused = formFieldDetails([...form.fields, ...form.fileNames.map((name) => [name, null] as const)]);
  if (refused.length > 0) throw new AppError("validation_failed", "The request is not valid.", refused);
  const values = (name: string) => form.fields.filter(([field]) => field === name).map(([, value]) => value);
  const fields = uploadFields.safeParse({
    title: text(values("title")),
    category: text(values("category")),
    tags: list(values("tags")),
    equipmentIds: list(values("equipmentIds")),
    projectIds: list(values("projectIds")),
  });
  if (!fields.success) throw validationFailed(fields.error);
  if (staged.sizeBytes === 0)
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "file", message: "The file is empty." },
    ]);
  return { staged, fileName: form.fileName, fields: fields.data };
}

type StreamOptions = { dataDir: string; maxBytes: number; minFreeBytes: number };

/**
 * Feeds `body` to the multipart parser one chunk at a time, each written only once the parser
 * (and, inside the file part, stageFile's awaited disk write) has taken the one before: the
 * request is read no faster than the disk takes it. Stops reading at the first failure.
 */
async function streamForm(
  body: ReadableStream<Uint8Array>,
  type: string,
  options: StreamOptions,
): Promise<StreamedForm> {
  const form: StreamedForm = { staged: null, fileName: "document", fields: [], fileNames: [] };
  const bodyLimit = options.maxBytes + MULTIPART_OVERHEAD_BYTES;
  let failure: unknown = null;
  let rejectFailed: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    rejectFailed = reject;
  });
  failed.catch(() => {});
  const fail = (error: unknown) => {
    if (failure !== null) return;
    failure = error;
    rejectFailed(error);
  };
  let parser: BusboyInstance;
  try {
    parser = Busboy({
      headers: { "content-type": type },
      // A part is a file when it has a file name, as in FormData.
      isPartAFile: (_name, _type, fileName) => fileName !== undefined,
      limits: { fieldSize: MULTIPART_OVERHEAD_BYTES, parts: 1000 },
    });
  } catch {
    throw new AppError("bad_request", "The multipart body could not be read: its boundary is missing.");
  }
  let fileStream: BusboyFileStream | null = null;
  let staging: Promise<StagedFile> | null = null;
  let fieldBytes = 0;
  parser.on("file", (name, stream, fileName) => {
    form.fileNames.push(name);
    // Only the first `file` part is kept; any other file part is read past and dropped.
    if (name !== "file" || staging) {
      stream.on("error", () => {});
      stream.resume();
      return;
    }
    fileStream = stream;
    // Its errors reach stageFile through the iterator in webStream; an emitter without a listener would throw.
    stream.on("error", () => {});
    form.fileName = fileName || "document";
    const guard = diskGuard(options.dataDir, options.minFreeBytes);
    staging = stageFile(options.dataDir, webStream(stream, guard.check), options.maxBytes).catch((error: unknown) => {
      throw guard.error() ?? error;
    });
    staging.catch(fail);
  });
  parser.on("field", (name, value, _nameTruncated, valueTruncated) => {
    fieldBytes += name.length + value.length;
    if (valueTruncated || fieldBytes > MULTIPART_OVERHEAD_BYTES) {
      fail(
        new AppError(
          "payload_too_large",
          `The text fields of an upload may hold ${formatBytes(MULTIPART_OVERHEAD_BYTES, 1024)} in all.`,
        ),
      );
    }
    form.fields.push([name, value]);
  });
  parser.on("error", (error: unknown) => fail(unreadable(error)));
  const finished = new Promise<void>((resolve) => parser.on("finish", resolve));

  const reader = body.getReader();
  let seen = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), failed]);
      if (next.done) break;
      seen += next.value.byteLength;
      if (seen > bodyLimit) throw tooLarge(options.maxBytes);
      await Promise.race([write(parser, next.value), failed]);
    }
    parser.end();
    await Promise.race([finished, failed]);
    if (staging) form.staged = await staging;
    if (failure !== null) throw failure;
    return form;
  } catch (error) {
    fail(error);
    await reader.cancel().catch(() => {});
    // Ends the file part with an error, so stageFile stops and removes its temporary file.
    (fileStream as BusboyFileStream | null)?.destroy(new Error("The upload was abandoned."));
    parser.destroy();
    const staged = await (staging as Promise<StagedFile> | null)?.catch(() => null);
    if (staged) discardStagedFile(staged);
    throw failure;
  }
}

/** One chunk into the parser; settles once the parser (and the file part's reader) has taken it. */
function write(parser: BusboyInstance, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    parser.write(chunk, (error) => (error ? reject(unreadable(error)) : resolve()));
  });
}

/** The file part as the web stream stageFile reads, pulled one chunk at a time; `check` sees each chunk. */
function webStream(stream: BusboyFileStream, check: (chunk: Uint8Array) => void): ReadableStream<Uint8Array> {
  const chunks = stream[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // The parser errors the file part when the body breaks off or is malformed: a 400.
        const next = await chunks.next().catch((error: unknown) => {
          throw unreadable(error);
        });
        if (next.done) {
          controller.close();
          return;
        }
        const chunk = next.value as Uint8Array;
        check(chunk);
        controller.enqueue(chunk);
      },
      cancel() {
        stream.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}

const GUARD_EVERY_BYTES = 1024 * 1024;

/**
 * The low-disk guard while the file streams (a body without Content-Length was only checked
 * for the minimum itself): every MB, the disk must still have the minimum free.
 */
function diskGuard(
  dataDir: string,
  minFreeBytes: number,
): { check: (chunk: Uint8Array) => void; error: () => AppError | null } {
  let sinceCheck = 0;
  let refused: AppError | null = null;
  return {
    check(chunk) {
      sinceCheck += chunk.byteLength;
      if (sinceCheck < GUARD_EVERY_BYTES) return;
      sinceCheck = 0;
      const free = freeDiskBytes(dataDir);
      if (free >= minFreeBytes) return;
      refused = insufficientStorage(
        `The disk of this Opsbox is nearly full: ${formatBytes(free, 1024)} free and ${formatBytes(minFreeBytes, 1024)} kept free for the database, so the upload was refused. Delete documents you no longer need, or ask an administrator to free space.`,
      );
      throw refused;
    },
    error: () => refused,
  };
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
    `The disk of this Opsbox is nearly full: ${formatBytes(free, 1024)} free, ${formatBytes(bytes, 1024)} to upload and ${formatBytes(minFreeBytes, 1024)} kept free for the database, so the upload was refused. Delete documents you no longer need, or ask an administrator to free space.`,
  );
}

/** Gives a staged upload back when the request fails after staging (415, 422). */
export function abandonUpload(upload: ReceivedUpload): void {
  discardStagedFile(upload.staged);
}

function tooLarge(maxBytes: number): AppError {
  return new AppError(
    "payload_too_large",
    `The file is larger than the upload limit of ${formatBytes(maxBytes, 1024)}.`,
  );
}

function unreadable(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError("bad_request", "The multipart body could not be read.");
}

function missingFile(): AppError {
  return new AppError("validation_failed", "The request is not valid.", [
    { path: "file", message: "Attach the document as the `file` field." },
  ]);
}

function text(values: string[]): string | undefined {
  const value = values[0];
  return value !== undefined && value.trim() !== "" ? value : undefined;
}

/** A list field: repeated, or one value with commas. */
function list(values: string[]): string[] {
  return values
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);
}
