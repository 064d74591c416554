/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { Conversation } from "../../../models/knowledge.ts";
import { assets } from "../../../views/assets.ts";
import { AskPage } from "../../../views/pages/knowledge/ask.tsx";
import { renderPage } from "../../console/render.tsx";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { type FormSpec, validateForm } from "../../http/validate-form.ts";
import { findEquipmentById } from "../../work/equipment/service.ts";
import { startAnswer } from "./answer.ts";
import { type AskOptions, askPageProps } from "./console-props.ts";
import { conversationOrNotFound, createConversation, deleteConversation } from "./conversations.ts";
import { stopGeneration } from "./generations.ts";
import { postMessageInput } from "./schemas.ts";

/** The equipment a new conversation is about, when the form names one this organisation has. */
function scopeOf(c: Context<AppEnv>, equipmentId: string) {
  const equipment = equipmentId ? findEquipmentById(serviceContext(c), equipmentId) : null;
  return equipment ? { equipmentId: equipment.id, label: equipment.name } : null;
}

/** The question's one message, or the schema's first. */
const messageOf = (errors: Record<string, string>) => Object.values(errors)[0] ?? "Ask a question.";

const newQuestionForm: FormSpec<{ content: string; equipmentId: string }> = {
  values: (form) => ({ content: form.text("content"), equipmentId: form.text("equipmentId") }),
  input: ({ content }) => ({ content }),
  invalid: (c, { content, equipmentId }, { errors }) =>
    renderAsk(c, null, { newScope: scopeOf(c, equipmentId), content, error: messageOf(errors), status: 422 }),
};

const questionForm: FormSpec<{ content: string }> = {
  values: (form) => ({ content: form.text("content") }),
  invalid: (c, { content }, { errors }) =>
    renderAsk(c, conversationOrNotFound(serviceContext(c), c.req.param("id") ?? ""), {
      content,
      error: messageOf(errors),
      status: 422,
    }),
};

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
  .post("/", requirePermission("assistant.ask"), validateForm(postMessageInput, newQuestionForm), (c) => {
    const { input, values } = c.req.valid("form");
    const ctx = serviceContext(c);
    const newScope = scopeOf(c, values.equipmentId);
    const conversation = createConversation(ctx, { equipmentId: newScope?.equipmentId });
    return answerThenShow(c, conversation, input.content, newScope);
  })
  .get("/:id", requirePermission("assistant.ask"), (c) =>
    renderAsk(c, conversationOrNotFound(serviceContext(c), c.req.param("id"))),
  )
  .post("/:id/messages", requirePermission("assistant.ask"), validateForm(postMessageInput, questionForm), (c) => {
    const conversation = conversationOrNotFound(serviceContext(c), c.req.param("id"));
    return answerThenShow(c, conversation, c.req.valid("form").input.content, null);
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

function renderAsk(c: Context<AppEnv>, conversation: Conversation | null, options: AskOptions = {}) {
  return renderPage(
    c,
    { title: conversation?.title ?? "Ask", current: "/ask", scripts: [assets.ask] },
    <AskPage {...askPageProps(c, conversation, options)} />,
    options.status ?? 200,
  );
}
