import { AppError } from "../../http/errors.ts";

/*
 * The answers being written right now, by conversation, so that a stop button (a request of
 * its own) can end one. One answer per conversation at a time: a second question waits for the
 * first answer instead of interleaving with it. Per process, like the models themselves.
 */
const running = new Map<string, { userId: string; controller: AbortController }>();

/** Marks an answer of `conversationId` as running; 409 while another one is. */
export function claimGeneration(conversationId: string, userId: string): AbortController {
  if (running.has(conversationId)) {
    throw new AppError("conflict", "An answer in this conversation is still being written. Stop it or wait for it.");
  }
  const controller = new AbortController();
  running.set(conversationId, { userId, controller });
  return controller;
}

export function releaseGeneration(conversationId: string, controller: AbortController): void {
  if (running.get(conversationId)?.controller === controller) running.delete(conversationId);
}

/** Stops the running answer of the caller's conversation; false when none was running. */
export function stopGeneration(conversationId: string, userId: string): boolean {
  const entry = running.get(conversationId);
  if (!entry || entry.userId !== userId) return false;
  entry.controller.abort();
  return true;
}

export function isGenerating(conversationId: string): boolean {
  return running.has(conversationId);
}
