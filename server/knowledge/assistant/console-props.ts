import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Conversation } from "../../../models/knowledge.ts";
import type { AskPageProps } from "../../../views/pages/knowledge/ask.tsx";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { findEquipmentById } from "../../work/equipment/service.ts";
import { listConversationMessages, listConversations, messageJson } from "./conversations.ts";

/** The Ask page's props: the person's conversations, the one open, and the question form. */

/** The question form's state: the equipment a new conversation is about, what was typed, why it was refused. */
export type AskOptions = {
  newScope?: { equipmentId: string; label: string } | null;
  content?: string;
  error?: string | null;
  status?: ContentfulStatusCode;
};

export function askPageProps(
  c: Context<AppEnv>,
  conversation: Conversation | null,
  options: AskOptions = {},
): AskPageProps {
  const ctx = serviceContext(c);
  const scopeOf = (item: Conversation) =>
    item.equipmentId ? (findEquipmentById(ctx, item.equipmentId)?.name ?? null) : null;
  const list = listConversations(ctx, { limit: 50 }).data;
  const messages = conversation ? listConversationMessages(ctx, conversation.id).map(messageJson) : [];
  return {
    conversations: list.map((item) => ({ id: item.id, title: item.title, scope: scopeOf(item) })),
    conversation: conversation
      ? { id: conversation.id, title: conversation.title, scope: scopeOf(conversation) }
      : null,
    messages,
    newScope: options.newScope ?? null,
    content: options.content ?? "",
    error: options.error ?? null,
    csrf: formCsrf(c),
  };
}
