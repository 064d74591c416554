import type { Context } from "hono";
import type { DomainEvent } from "../../models/events.ts";
import type { Permission } from "../auth/roles/permissions.ts";
import type { Logger } from "../http/logger.ts";
import type { Lifecycle } from "../lifecycle.ts";
import { subscribeToEvents } from "./bus.ts";

/** A comment line this often keeps proxies from timing the stream out and finds dead clients. */
export const HEARTBEAT_MS = 15_000;
/** The `retry:` hint: how long an EventSource waits before it reconnects. */
export const RETRY_MS = 3_000;
/** Events read from the database per query while catching up. */
const BATCH = 100;
/** How often a quiet stream asks whether its caller may still read it: it ends within a second of a revocation. */
export const ACCESS_CHECK_MS = 250;

export type EventStreamOptions = {
  orgId: string;
  /** The last seq the reader has seen: it gets every later event, then the live ones. */
  afterSeq: number;
  /**
   * The reader's permissions now, or null once they lost access (session revoked, key expired,
   * member removed): asked before every read and every ACCESS_CHECK_MS; null ends the stream.
   */
  access: () => ReadonlySet<Permission> | null;
  /** The next events after `seq` that a reader with `permissions` may see, oldest first, at most `limit`. */
  readAfter: (seq: number, limit: number, permissions: ReadonlySet<Permission>) => DomainEvent[];
  /** The SSE text of a batch (one or more messages, or "" when nothing of it is for this reader). */
  format: (events: DomainEvent[], permissions: ReadonlySet<Permission>) => string;
  lifecycle: Lifecycle;
  log: Logger;
  heartbeatMs?: number;
};

/** One SSE message; multi-line data becomes several `data:` lines, as the format requires. */
export function sseMessage(message: { id?: string; event?: string; data: string }): string {
  let text = "";
  if (message.id !== undefined) text += `id: ${oneLine(message.id)}\n`;
  if (message.event !== undefined) text += `event: ${oneLine(message.event)}\n`;
  for (const line of message.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

function oneLine(value: string): string {
  return value.replace(/[\r\n]/g, " ");
}

/**
 * Answers a server-sent event stream of an organisation's events. The bus only says "new
 * events"; the stream then reads the database after the last seq it sent, so a resumed stream
 * and a live one are the same code, and a slow client is simply read for later (backpressure:
 * nothing is queued in memory beyond a few chunks).
 */
export function eventStreamResponse(c: Context, options: EventStreamOptions): Response {
  keepConnectionOpen(c);
  const encoder = new TextEncoder();
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  let cursor = options.afterSeq;
  let closed = false;
  let pumping = false;
  let again = false;
  let unsubscribe = () => {};
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let stopWatching = () => {};
  const state = { pump: () => {}, close: () => {} };

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const send = (text: string) => controller.enqueue(encoder.encode(text));
        const close = () => {
          if (closed) return;
          closed = true;
          unsubscribe();
          clearInterval(heartbeat);
          stopWatching();
          try {
            controller.close();
          } catch {
            // Already closed by the client going away.
          }
        };
        const pump = () => {
          if (closed) return;
          if (pumping) {
            again = true;
            return;
          }
          pumping = true;
          try {
            do {
              again = false;
              while (!closed && (controller.desiredSize ?? 1) > 0) {
                // Asked per batch, not once at open: what the reader may see is what they may see now.
                const permissions = options.access();
                if (!permissions) {
                  close();
                  return;
                }
                const batch = options.readAfter(cursor, BATCH, permissions);
                const last = batch.at(-1);
                if (!last) break;
                cursor = last.seq;
                const text = options.format(batch, permissions);
                if (text) send(text);
                if (batch.length < BATCH) break;
              }
            } while (again && !closed);
          } catch (error) {
            options.log.error({ err: error }, "event stream failed; closing it");
            close();
          } finally {
            pumping = false;
          }
        };
        state.pump = pump;
        state.close = close;

        // The first bytes go out at once, so the client sees the headers and the retry hint.
        send(`retry: ${RETRY_MS}\n: connected\n\n`);
        // Subscribe before the first read: an event committed in between is then read, not lost.
        unsubscribe = subscribeToEvents((orgId) => {
          if (orgId === options.orgId) pump();
        });
        heartbeat = setInterval(() => {
          if ((controller.desiredSize ?? 1) > 0) send(": heartbeat\n\n");
        }, heartbeatMs);
        stopWatching = watchStream(options.lifecycle, options.access, close);
        c.req.raw.signal.addEventListener("abort", close, { once: true });
        pump();
      },
      pull() {
        // The client read what was queued: carry on where backpressure stopped the catch-up.
        state.pump();
      },
      cancel() {
        state.close();
      },
    },
    { highWaterMark: 16 },
  );

  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      // Tells nginx-like proxies not to buffer the stream (Caddy flushes event streams by itself).
      "X-Accel-Buffering": "no",
    },
  });
}

/** Bun closes a connection after 10 s without traffic; a stream is quiet far longer between events. */
export function keepConnectionOpen(c: Context): void {
  const server = c.env as { timeout?: (request: Request, seconds: number) => void } | undefined;
  if (typeof server?.timeout === "function") server.timeout(c.req.raw, 0);
}

/*
 * On SIGTERM main.ts waits for open requests before it stops, and an event stream never ends
 * by itself. Lifecycle has no "stopping" callback, so open streams share one timer that looks
 * at `lifecycle.stopping` and ends them; it runs only while a stream is open. The same timer
 * asks each stream's access every ACCESS_CHECK_MS, so a quiet stream ends soon after its
 * caller lost access (a stream with traffic asks before every read anyway).
 */
type Watched = { lifecycle: Lifecycle; access: () => unknown; checkedAt: number };
const openStreams = new Map<() => void, Watched>();
let watcher: ReturnType<typeof setInterval> | undefined;
const WATCH_MS = 100;

function watchStream(lifecycle: Lifecycle, access: () => unknown, close: () => void): () => void {
  openStreams.set(close, { lifecycle, access, checkedAt: Date.now() });
  watcher ??= setInterval(() => {
    const now = Date.now();
    for (const [closeStream, watched] of openStreams) {
      if (watched.lifecycle.stopping) {
        closeStream();
      } else if (now - watched.checkedAt >= ACCESS_CHECK_MS) {
        watched.checkedAt = now;
        try {
          if (!watched.access()) closeStream();
        } catch {
          // A failed check (the database closing) ends the stream rather than the timer.
          closeStream();
        }
      }
    }
  }, WATCH_MS);
  watcher.unref?.();
  return () => {
    openStreams.delete(close);
    if (openStreams.size === 0 && watcher) {
      clearInterval(watcher);
      watcher = undefined;
    }
  };
}

/** How many event streams are open in this process (for tests and metrics). */
export function openEventStreamCount(): number {
  return openStreams.size;
}
