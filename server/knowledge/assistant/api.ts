import { type Context, Hono } from "hono";
import { z } from "zod";
import { keepConnectionOpen } from "../../events/stream.ts";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { type AssistantContext, startAnswer } from "./answer.ts";
import { streamAnswer, wantsEventStream } from "./answer-stream.ts";
import {
  conversationJson,
  conversationOrNotFound,
  createConversation,
  deleteConversation,
  listConversationMessages,
  listConversations,
  messageJson,
} from "./conversations.ts";
import { stopGeneration } from "./generations.ts";
import {
  conversationJsonSchema,
  conversationListQuery,
  conversationPageSchema,
  conversationWithMessagesSchema,
  createConversationInput,
  messageJsonSchema,
  postMessageInput,
} from "./schemas.ts";

const tags = ["Assistant"];
const personal =
  "Conversations are personal: another person's conversation is a 404, as is one of another organisation.";
const answerDescription = `Retrieves passages of the organisation's documents (only those of the conversation's equipment or project when it has one) and answers from them alone, citing them as [1], [2] …; when no passage is relevant the answer says plainly that the documents do not contain it.

With \`Accept: text/event-stream\` the answer streams as server-sent events: \`citations\` (\`{ citations }\`), then \`token\` (\`{ text }\`) per piece, then \`done\` (\`{ message }\`), or \`error\` (\`{ error: { code, message } }\`). Closing the stream, or \`POST …/stop\`, stops the answer; it is stored as \`stopped\` with what was written. Otherwise the answer is JSON (201). 503 without a chat model or when the generation queue is full (with \`Retry-After\`); 409 while this conversation's previous answer is still being written.`;

function assistantContext(c: Context<AppEnv>): AssistantContext {
  return { ...serviceContext(c), ai: c.var.deps.ai };
}

/** /conversations and their messages: the assistant for integrators and for the console's Ask page. */
export const assistantApi = new Hono<AppEnv>()
  .post(
    "/",
    apiDoc({
      summary: "Start a conversation with the assistant",
      description: personal,
      tags,
      responses: { 201: { description: "The conversation", schema: conversationJsonSchema } },
    }),
    requirePermission("assistant.ask"),
    validate("json", createConversationInput),
    (c) => {
      const conversation = createConversation(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/conversations/${conversation.id}`);
      return c.json(conversationJson(conversation), 201);
    },
  )
  .get(
    "/",
    apiDoc({
      summary: "List my conversations",
      description: `Newest first. ${personal}`,
      tags,
      responses: { 200: { description: "A page of conversations", schema: conversationPageSchema } },
    }),
    requirePermission("assistant.ask"),
    validate("query", conversationListQuery),
    (c) => {
      const page = listConversations(serviceContext(c), c.req.valid("query"));
      return c.json({ data: page.data.map(conversationJson), nextCursor: page.nextCursor });
    },
  )
  .get(
    "/:id",
    apiDoc({
      summary: "Get a conversation with its messages",
      description: personal,
      tags,
      responses: {
        200: { description: "The conversation, messages oldest first", schema: conversationWithMessagesSchema },
      },
    }),
    requirePermission("assistant.ask"),
    (c) => {
      const ctx = serviceContext(c);
      const conversation = conversationOrNotFound(ctx, c.req.param("id"));
      const messages = listConversationMessages(ctx, conversation.id).map(messageJson);
      return c.json({ ...conversationJson(conversation), messages });
    },
  )
  .delete(
    "/:id",
    apiDoc({
      summary: "Delete a conversation",
      description: personal,
      tags,
      responses: { 204: { description: "Deleted" } },
    }),
    requirePermission("assistant.ask"),
    (c) => {
      const ctx = serviceContext(c);
      const conversation = conversationOrNotFound(ctx, c.req.param("id"));
      stopGeneration(conversation.id, ctx.userId);
      deleteConversation(ctx, conversation.id);
      return c.body(null, 204);
    },
  )
  .post(
    "/:id/messages",
    apiDoc({
      summary: "Ask the assistant a question",
      description: answerDescription,
      tags,
      responses: {
        201: {
          description: "The stored answer (JSON), or the answer as server-sent events (200, `text/event-stream`).",
          schema: messageJsonSchema,
          contentType: "application/json, text/event-stream",
        },
      },
    }),
    requirePermission("assistant.ask"),
    validate("json", postMessageInput),
    async (c) => {
      const ctx = assistantContext(c);
      const conversationId = c.req.param("id");
      // Generation can take longer than Bun's idle timeout before the first byte is written.
      keepConnectionOpen(c);
      const running = await startAnswer(ctx, conversationId, c.req.valid("json").content, { signal: c.req.raw.signal });
      if (wantsEventStream(c)) return streamAnswer(c, running, () => stopGeneration(conversationId, ctx.userId));
      return c.json(messageJson(await running.finished), 201);
    },
  )
  .post(
    "/:id/stop",
    apiDoc({
      summary: "Stop the answer being written",
      description: `The answer is stored as \`stopped\` with what was written so far. \`stopped\` is false when no answer was running. ${personal}`,
      tags,
      responses: { 200: { description: "Whether an answer was stopped", schema: z.object({ stopped: z.boolean() }) } },
    }),
    requirePermission("assistant.ask"),
    (c) => {
      const ctx = serviceContext(c);
      const conversation = conversationOrNotFound(ctx, c.req.param("id"));
      return c.json({ stopped: stopGeneration(conversation.id, ctx.userId) });
    },
  );
