import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { HEARTBEAT_MS, keepConnectionOpen } from "../../events/stream.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { documentPageHref } from "../../tools/document-links.ts";
import type { RunningAnswer } from "./answer.ts";
import { messageJson } from "./conversations.ts";

/** Whether the caller asked for the answer as server-sent events. */
export function wantsEventStream(c: Context): boolean {
  return (c.req.header("Accept") ?? "").toLowerCase().includes("text/event-stream");
}

/**
 * The answer as server-sent events, in this order: `citations` (the numbered passages), one
 * `token` per piece of text as the model writes it, then `done` with the stored message; an
 * `error` instead of `done` when the answer could not be stored. The stream ending early (the
 * client went away) stops the generation: the answer is then stored as `stopped`.
 */
/** At most one `token` event per frame of this many milliseconds. */
const TOKEN_FRAME_MS = 16;

export function streamAnswer(c: Context<AppEnv>, running: RunningAnswer, stop: () => void): Response {
  keepConnectionOpen(c);
  c.header("X-Accel-Buffering", "no");
  return streamSSE(c, async (stream) => {
    stream.onAbort(stop);
    const heartbeat = setInterval(() => void stream.write(": heartbeat\n\n"), HEARTBEAT_MS);
    try {
      await stream.writeSSE({
        event: "citations",
        data: JSON.stringify({
          citations: running.citations.map((citation) => ({
            ...citation,
            href: documentPageHref(citation.documentId, citation.page),
          })),
        }),
      });
      // Pieces that arrive within one frame share an event: fewer writes on the thread that also
      // drives generation, and the reader still sees the text appear smoothly.
      let pending = "";
      let flushedAt = 0;
      for await (const text of running.tokens) {
        if (stream.aborted) break;
        pending += text;
        if (performance.now() - flushedAt < TOKEN_FRAME_MS) continue;
        await stream.writeSSE({ event: "token", data: JSON.stringify({ text: pending }) });
        pending = "";
        flushedAt = performance.now();
      }
      if (pending && !stream.aborted)
        await stream.writeSSE({ event: "token", data: JSON.stringify({ text: pending }) });
      const message = await running.finished;
      if (!stream.aborted)
        await stream.writeSSE({ event: "done", data: JSON.stringify({ message: messageJson(message) }) });
    } catch (error) {
      c.var.log.error({ err: error }, "assistant: the answer stream failed");
      const failure = error instanceof AppError ? error : new AppError("internal", "The answer could not be stored.");
      if (!stream.aborted) {
        await stream.writeSSE({
          event: "error",
          data: JSON.stringify({ error: { code: failure.code, message: failure.message } }),
        });
      }
    } finally {
      clearInterval(heartbeat);
    }
  });
}
