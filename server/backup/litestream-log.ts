/** One line of Litestream's text log, split into its key=value fields. */
export type LogFields = Record<string, string>;

/** Parses `time=… level=INFO msg="wal segment written" replica=s3 position=…` (logfmt, Go's slog text handler). */
export function parseLogLine(line: string): LogFields {
  const fields: LogFields = {};
  const pattern = /([\w.-]+)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (const match of line.matchAll(pattern)) {
    const [, key = "", raw = ""] = match;
    fields[key] = raw.startsWith('"') ? unquote(raw) : raw;
  }
  return fields;
}

function unquote(raw: string): string {
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw.slice(1, -1);
  }
}

/** What a log line means for the replicas, or null when it says nothing Opsbox tracks. */
export type LitestreamEvent =
  | { kind: "replicated"; replica: string; position: string; at: number }
  | { kind: "snapshot"; replica: string; position: string; at: number }
  | { kind: "error"; replica: string | null; message: string; at: number };

export function eventOf(fields: LogFields, now = Date.now()): LitestreamEvent | null {
  const at = fields.time ? Date.parse(fields.time) || now : now;
  const replica = fields.replica ?? null;
  if (fields.msg === "wal segment written" && replica)
    return { kind: "replicated", replica, position: fields.position ?? "", at };
  if (fields.msg === "snapshot written" && replica)
    return { kind: "snapshot", replica, position: fields.position ?? "", at };
  if (fields.level === "ERROR") {
    const message = [fields.msg, fields.error].filter(Boolean).join(": ");
    return { kind: "error", replica, message: message || "error", at };
  }
  return null;
}

/** Calls `onLine` with each line of Litestream's output as it comes. */
export async function forEachLine(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      onLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf("\n");
    }
  }
}
