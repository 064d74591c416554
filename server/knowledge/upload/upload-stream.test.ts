import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { consoleHeaders, sessionCookie, setUpBox } from "../../testing/identity.ts";
import type { DocumentJson } from "../schemas.ts";
import { filesDir } from "./files.ts";

/**
 * The upload's multipart body is parsed as it arrives and the file part written straight to
 * `files/tmp/`: nothing waits for (or holds) the whole body. The bodies here are hand-written
 * multipart streams sent with `duplex: "half"`, so the test decides when each byte goes.
 */

const BOUNDARY = "----opsbox-stream-test";
const encoder = new TextEncoder();

function fieldPart(name: string, value: string): string {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
}

function fileHead(fileName: string): string {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/plain\r\n\r\n`;
}

const CLOSE = `--${BOUNDARY}--\r\n`;

/** A text file of `size` bytes: readable lines, so it is indexed as text. */
function textBytes(size: number, seed: string): Uint8Array {
  const line = `Maintenance note ${seed}: check the valve and the seals.\n`;
  return encoder.encode(line.repeat(Math.ceil(size / line.length)).slice(0, size));
}

function sha256Hex(bytes: Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
}

function stagedParts(box: TestApp): { name: string; size: number }[] {
  const dir = join(filesDir(box.dataDir), "tmp");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".part"))
    .map((name) => ({ name, size: statSync(join(dir, name)).size }));
}

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

/** A request body the test feeds by hand: `push` sends bytes now, `close` ends it. */
function handFedBody(): {
  stream: ReadableStream<Uint8Array>;
  push: (bytes: Uint8Array | string) => void;
  close: () => void;
  sent: () => number;
} {
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    stream,
    push(bytes) {
      const chunk = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
      sent += chunk.byteLength;
      controller?.enqueue(chunk);
    },
    close: () => controller?.close(),
    sent: () => sent,
  };
}

function post(box: TestApp, cookie: string, body: ReadableStream<Uint8Array>): Promise<Response> {
  return box.fetch("/api/v1/documents", {
    method: "POST",
    headers: { ...consoleHeaders(box, cookie), "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` },
    body,
    duplex: "half",
  } as RequestInit);
}

let box: TestApp;
let cookie: string;
beforeAll(async () => {
  box = await startTestApp();
  const setup = await setUpBox(box);
  cookie = sessionCookie(box, setup.adminId, setup.orgId);
});
afterAll(() => box.close());

describe("a streamed upload", () => {
  test("the file is written to the staging directory while the body is still arriving, then stored whole", async () => {
    const file = textBytes(3 * 1024 * 1024, "streamed");
    const body = handFedBody();
    const response = post(box, cookie, body.stream);
    body.push(fieldPart("title", "Streamed manual"));
    body.push(fileHead("streamed.txt"));
    const half = file.byteLength / 2;
    for (let offset = 0; offset < half; offset += 64 * 1024) body.push(file.subarray(offset, offset + 64 * 1024));
    // Half the file sent and the body still open: its bytes are already on disk.
    await until(() => stagedParts(box).some((part) => part.size > 0), "the staged file to grow");
    for (let offset = half; offset < file.byteLength; offset += 64 * 1024) {
      body.push(file.subarray(offset, offset + 64 * 1024));
    }
    body.push(`\r\n${fieldPart("tags", "boiler, valves")}${CLOSE}`);
    body.close();
    const answer = await response;
    expect(answer.status).toBe(202);
    const document = (await answer.json()) as DocumentJson;
    expect(document.title).toBe("Streamed manual");
    expect(document.tags).toEqual(["boiler", "valves"]);
    expect(document.sha256).toBe(sha256Hex(file));
    expect(sha256Hex(readFileSync(join(filesDir(box.dataDir), document.sha256)))).toBe(document.sha256);
    expect(stagedParts(box)).toEqual([]);
  });

  test("the fields may come before or after the file part", async () => {
    const before = textBytes(2000, "before");
    const after = textBytes(2000, "after");
    const send = async (parts: string[]) => {
      const body = handFedBody();
      const response = post(box, cookie, body.stream);
      for (const part of parts) body.push(part === "FILE" ? fileHead("note.txt") : part);
      body.close();
      return response;
    };
    const fieldsFirst = await send([
      fieldPart("title", "Fields first"),
      fieldPart("category", "Manuals"),
      "FILE",
      new TextDecoder().decode(before),
      `\r\n${CLOSE}`,
    ]);
    expect(fieldsFirst.status).toBe(202);
    expect((await fieldsFirst.json()) as DocumentJson).toMatchObject({ title: "Fields first", category: "Manuals" });
    const fileFirst = await send([
      "FILE",
      new TextDecoder().decode(after),
      "\r\n",
      fieldPart("title", "File first"),
      fieldPart("category", "Notes"),
      CLOSE,
    ]);
    expect(fileFirst.status).toBe(202);
    expect((await fileFirst.json()) as DocumentJson).toMatchObject({ title: "File first", category: "Notes" });
  });

  test("a control character in a field after the file is 422, and the staged file is gone", async () => {
    const body = handFedBody();
    const response = post(box, cookie, body.stream);
    body.push(fileHead("bad.txt"));
    body.push(textBytes(100_000, "bad"));
    body.push(`\r\n${fieldPart("title", "Boiler\u0000 manual")}${CLOSE}`);
    body.close();
    const answer = await response;
    expect(answer.status).toBe(422);
    expect(((await answer.json()) as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe("title");
    expect(stagedParts(box)).toEqual([]);
  });

  test("an empty file part is 422 and a body without a file part is 422, nothing staged", async () => {
    const empty = handFedBody();
    const emptyAnswer = post(box, cookie, empty.stream);
    empty.push(`${fileHead("empty.txt")}\r\n${CLOSE}`);
    empty.close();
    expect((await emptyAnswer).status).toBe(422);
    const none = handFedBody();
    const noneAnswer = post(box, cookie, none.stream);
    none.push(`${fieldPart("title", "No file")}${CLOSE}`);
    none.close();
    expect((await noneAnswer).status).toBe(422);
    expect(stagedParts(box)).toEqual([]);
  });

  test("a truncated multipart body is 400 and leaves nothing staged", async () => {
    const body = handFedBody();
    const response = post(box, cookie, body.stream);
    body.push(fileHead("cut.txt"));
    body.push(textBytes(50_000, "cut"));
    body.close();
    expect((await response).status).toBe(400);
    expect(stagedParts(box)).toEqual([]);
  });
});

describe("a streamed upload over the limit", () => {
  let small: TestApp;
  let smallCookie: string;
  beforeAll(async () => {
    small = await startTestApp({ env: { OPSBOX_MAX_UPLOAD_BYTES: String(256 * 1024) } });
    const setup = await setUpBox(small);
    smallCookie = sessionCookie(small, setup.adminId, setup.orgId);
  });
  afterAll(() => small.close());

  test("is cut off with 413 before the body has been sent, and no staged file is left", async () => {
    const chunk = textBytes(64 * 1024, "over");
    const total = 64 * 1024 * 1024;
    let sent = 0;
    let head = true;
    // Pulled as the server reads: 64 MB if it read everything, far more than the 256 KB limit.
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (head) {
          head = false;
          controller.enqueue(encoder.encode(fileHead("over.txt")));
          return;
        }
        if (sent >= total) {
          controller.enqueue(encoder.encode(`\r\n${CLOSE}`));
          controller.close();
          return;
        }
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    let answer: Response | null = null;
    try {
      answer = await post(small, smallCookie, stream);
    } catch {
      // A client may see the connection closed instead of the 413; what matters is below.
    }
    if (answer) {
      expect(answer.status).toBe(413);
      // The server stops reading and closes the connection: the answer's body may be cut off with it.
      const text = await answer.text().catch(() => "");
      if (text.startsWith("{")) expect(text).toContain("payload_too_large");
    }
    expect(sent).toBeLessThan(total);
    await until(() => stagedParts(small).length === 0, "the staged file to be removed");
  });
});
