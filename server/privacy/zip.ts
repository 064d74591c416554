import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { Zip, ZipDeflate } from "fflate";
import { storedFilePath } from "../knowledge/upload/files.ts";
import type { ExportBundle } from "./person-export.ts";

const encoder = new TextEncoder();
const CHUNK = 1024 * 1024;

/**
 * A zip written entry by entry to `sink` (a file, or memory for a download), so that an export
 * never holds more than one chunk of a large file at once. Deflate level 6, like zip(1).
 */
export class ZipWriter {
  readonly #zip: Zip;
  #failure: Error | null = null;

  constructor(sink: (chunk: Uint8Array) => void) {
    this.#zip = new Zip((error, chunk) => {
      if (error) this.#failure = error;
      else sink(chunk);
    });
  }

  /** One JSON document, indented for people to read. */
  addJson(name: string, value: unknown): void {
    const entry = this.#entry(name);
    entry.push(encoder.encode(`${JSON.stringify(value, null, 2)}\n`), true);
    this.#check();
  }

  /** A plain text file. */
  addText(name: string, text: string): void {
    this.#entry(name).push(encoder.encode(text), true);
    this.#check();
  }

  /** A JSON array written row by row: a table of any size. Returns how many rows it wrote. */
  addJsonRows(name: string, rows: Iterable<unknown>, onRow?: () => void): number {
    const entry = this.#entry(name);
    let count = 0;
    entry.push(encoder.encode("["));
    for (const row of rows) {
      entry.push(encoder.encode(`${count === 0 ? "\n" : ",\n"}${JSON.stringify(row)}`));
      count += 1;
      onRow?.();
    }
    entry.push(encoder.encode(count === 0 ? "]\n" : "\n]\n"), true);
    this.#check();
    return count;
  }

  /** A file from disk, read in chunks; false (and nothing added) when it is not there. */
  addFile(name: string, path: string): boolean {
    if (!existsSync(path)) return false;
    const entry = this.#entry(name);
    const fd = openSync(path, "r");
    try {
      for (;;) {
        const buffer = new Uint8Array(CHUNK);
        const read = readSync(fd, buffer, 0, CHUNK, null);
        if (read === 0) break;
        entry.push(buffer.subarray(0, read));
      }
    } finally {
      closeSync(fd);
    }
    entry.push(new Uint8Array(0), true);
    this.#check();
    return true;
  }

  /** Writes the zip's directory; nothing may be added after. */
  end(): void {
    this.#zip.end();
    this.#check();
  }

  #entry(name: string): ZipDeflate {
    const entry = new ZipDeflate(name, { level: 6 });
    this.#zip.add(entry);
    return entry;
  }

  #check(): void {
    if (this.#failure) throw this.#failure;
  }
}

/** A person's export as zip bytes: the JSON documents, their files, and a note of files that were missing. */
export function packBundle(dataDir: string, bundle: ExportBundle, readme: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  const writer = new ZipWriter((chunk) => chunks.push(chunk));
  writer.addText("README.txt", readme);
  for (const [name, value] of Object.entries(bundle.json)) writer.addJson(name, value);
  const missing = bundle.files.filter((file) => !writer.addFile(file.name, storedFilePath(dataDir, file.sha256)));
  if (missing.length > 0) writer.addJson("missing-files.json", missing);
  writer.end();
  return Buffer.concat(chunks);
}
