/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Conversation } from "../../../models/knowledge.ts";
import { assets } from "../../../views/assets.ts";
import { AskPage } from "../../../views/pages/knowledge/ask.tsx";
import { renderPage } from "../../console/render.tsx";
import { formCsrf, redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { readPostedForm } from "../../http/validate-form.ts";
import { findEquipmentById } from "../../work/equipment/service.ts";
import { startAnswer } from "./answer.ts";
import {
  conversationOrNotFound,
  createConversation,
  deleteConversation,
  listConversationMessages,
  listConversations,
  messageJson,
} from "./conversations.ts";
import { stopGeneration } from "./generations.ts";
import { postMessageInput } from "./schemas.ts";

/**
 * The Ask page. static/ask.js streams answers through the JSON API; these form posts are the
 * same questions without script (the answer is written, then the page reloads), so the page
 * works either way.
 */
export const assistantConsole = new Hono<AppEnv>()
  .get("/", requirePermission("assistant.ask"), (c) => {
    const equipmentId = c.req.query("equipmentId");
    const equipment = equipmentId ? findEquipmentById(serviceContext(c), equipmentId) : null;
    if (equipmentId && !equipment) throw notFound("equipment");
    return renderAsk(c, null, { newScope: equipment ? { equipmentId: equipment.id, label: equipment.name } : null });
  })
  .post("/", requirePermission("assistant.ask"), async (c) => {
    const form = await readPostedForm(c);
    const ctx = serviceContext(c);
    const equipmentId = form.text("equipmentId") || undefined;
    const equipment = equipmentId ? findEquipmentById(ctx, equipmentId) : null;
    const newScope = equipment ? { equipmentId: equipment.id, label: equipment.name } : null;
    const parsed = postMessageInput.safeParse({ content: form.text("content") });
    if (!parsed.success) {
      return renderAsk(c, null, {
        newScope,
        content: form.text("content"),
        error: firstMessage(parsed.error),
        status: 422,
      });
    }
    const conversation = createConversation(ctx, { equipmentId: equipment?.id });
    return answerThenShow(c, conversation, parsed.data.content, newScope);
  })
  .get("/:id", requirePermission("assistant.ask"), (c) =>
    renderAsk(c, conversationOrNotFound(serviceContext(c), c.req.param("id"))),
  )
  .post("/:id/messages", requirePermission("assistant.ask"), async (c) => {
    const conversation = conversationOrNotFound(serviceContext(c), c.req.param("id"));
    const form = await readPostedForm(c);
    const parsed = postMessageInput.safeParse({ content: form.text("content") });
    if (!parsed.success) {
      return renderAsk(c, conversation, {
        content: form.text("content"),
        error: firstMessage(parsed.error),
        status: 422,
      });
    }
    return answerThenShow(c, conversation, parsed.data.content, null);
  })
  .post("/:id/delete", requirePermission("assistant.ask"), (c) => {
    const ctx = serviceContext(c);
    const conversation = conversationOrNotFound(ctx, c.req.param("id"));
    stopGeneration(conversation.id, ctx.userId);
    deleteConversation(ctx, conversation.id);
    return redirectTo(c, "/ask");
  });

/** Answers without script: waits for the whole answer, then shows the conversation; a refusal is shown on the form. */
async function answerThenShow(
  c: Context<AppEnv>,
  conversation: Conversation,
  content: string,
  newScope: { equipmentId: string; label: string } | null,
) {
  try {
    const running = await startAnswer({ ...serviceContext(c), ai: c.var.deps.ai }, conversation.id, content, {
      signal: c.req.raw.signal,
    });
    await running.finished;
    return redirectTo(c, `/ask/${conversation.id}`);
  } catch (error) {
    if (!(error instanceof AppError) || error.status === 404) throw error;
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    const fresh = conversationOrNotFound(serviceContext(c), conversation.id);
    return renderAsk(c, fresh, { newScope, content, error: error.message, status: error.status });
  }
}

function renderAsk(
  c: Context<AppEnv>,
  conversation: Conversation | null,
  options: {
    newScope?: { equipmentId: string; label: string } | null;
    content?: string;
    error?: string | null;
    status?: ContentfulStatusCode;
  } = {},
) {
  const ctx = serviceContext(c);
  const scopeOf = (item: Conversation) =>
    item.equipmentId ? (findEquipmentById(ctx, item.equipmentId)?.name ?? null) : null;
  const list = listConversations(ctx, { limit: 50 }).data;
  const messages = conversation ? listConversationMessages(ctx, conversation.id).map(messageJson) : [];
  return renderPage(
    c,
    { title: conversation?.title ?? "Ask", current: "/ask", scripts: [assets.ask] },
    <AskPage
      conversations={list.map((item) => ({ id: item.id, title: item.title, scope: scopeOf(item) }))}
      conversation={
        conversation ? { id: conversation.id, title: conversation.title, scope: scopeOf(conversation) } : null
      }
      messages={messages}
      newScope={options.newScope ?? null}
      content={options.content ?? ""}
      error={options.error ?? null}
      csrf={formCsrf(c)}
    />,
    options.status ?? 200,
  );
}

function firstMessage(error: { issues: { message: string }[] }): string {
  return error.issues[0]?.message ?? "Ask a question.";
}
