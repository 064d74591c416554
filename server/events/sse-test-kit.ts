import { expect } from "bun:test";
import type { TestApp } from "../testing/harness.ts";
import { openEventStreamCount } from "./stream.ts";

export type SseMessage = { id: string | null; event: string | null; data: string; retry: number | null };

export type SseClient = {
  response: Response;
  /** Every message (and comment) received so far. */
  messages: SseMessage[];
  comments: string[];
  /** Resolves once `count` messages in all have arrived, or rejects after `timeoutMs`. */
  waitFor: (count: number, timeoutMs?: number) => Promise<SseMessage[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close: () => Promise<void>;
};

/** Opens a server-sent event stream with fetch and parses it as it arrives (for tests). */
export async function openSse(box: TestApp, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const controller = new AbortController();
  const response = await box.fetch(path, {
    headers: { Accept: "text/event-stream", ...headers },
    signal: controller.signal,
  });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  const ended = (async () => {
    if (!response.body || !response.headers.get("Content-Type")?.includes("text/event-stream")) return;
    const decoder = new TextDecoder();
    let buffer = "";
    let current: SseMessage = { id: null, event: null, data: "", retry: null };
    let hasData = false;
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        const lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop() ?? "";
        for (const line of lines) {
          if (line === "") {
            if (hasData || current.event !== null) messages.push(current);
            current = { id: null, event: null, data: "", retry: null };
            hasData = false;
            notify();
            continue;
          }
          if (line.startsWith(":")) {
            comments.push(line.slice(1).trim());
            continue;
          }
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "data") {
            current.data += hasData ? `\n${value}` : value;
            hasData = true;
          } else if (field === "id") current.id = value;
          else if (field === "event") current.event = value;
          else if (field === "retry") current.retry = Number(value);
        }
      }
    } catch {
      // Aborted by close().
    } finally {
      notify();
    }
  })();
  let done = false;
  void ended.then(() => {
    done = true;
    notify();
  });
  return {
    response,
    messages,
    comments,
    ended,
    waitFor: (count, timeoutMs = 3000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(messages.slice());
          } else if (done) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`stream ended after ${messages.length} of ${count} messages`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`only ${messages.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: async () => {
      controller.abort();
      await ended;
    },
  };
}

/** Lets the event bus deliver (it waits for the current synchronous work) and streams write. */
export function settle(ms = 150): Promise<void> {
  return Bun.sleep(ms);
}

/** Waits (up to 5 s) until at least `count` event streams are open: the pages under test have connected. */
export async function untilOpenStreams(count: number): Promise<void> {
  for (let tries = 0; tries < 100 && openEventStreamCount() < count; tries++) await Bun.sleep(50);
  expect(openEventStreamCount()).toBeGreaterThanOrEqual(count);
}
