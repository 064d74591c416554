import { and, asc, desc, eq, lt } from "drizzle-orm";
import {
  type Citation,
  type Conversation,
  type ConversationMessage,
  conversationMessages,
  conversations,
} from "../../../models/knowledge.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { pageOf } from "../../http/cursor.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { stringCursor } from "../../http/fields.ts";
import { documentPageHref } from "../../tools/document-links.ts";
import { newId } from "../../tools/ids.ts";
import { findEquipmentById } from "../../work/equipment/service.ts";
import { existingProjectIds } from "../../work/projects/options.ts";
import { renderAnswerHtml } from "./render.ts";
import type { ConversationJson, ConversationListQuery, CreateConversationInput, MessageJson } from "./schemas.ts";

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId">;

/** A conversation's title until its first question names it. */
export const UNTITLED = "New conversation";

export function conversationJson(conversation: Conversation): ConversationJson {
  return {
    id: conversation.id,
    title: conversation.title,
    equipmentId: conversation.equipmentId,
    projectId: conversation.projectId,
    createdAt: conversation.createdAt.toISOString(),
    updatedAt: conversation.updatedAt.toISOString(),
  };
}

export function messageJson(message: ConversationMessage): MessageJson {
  return {
    id: message.id,
    conversationId: message.conversationId,
    role: message.role,
    content: message.content,
    html: renderAnswerHtml(message.content, message.role === "assistant" ? message.citations : []),
    citations: message.citations.map(citationJson),
    status: message.status,
    tokenCount: message.tokenCount,
    createdAt: message.createdAt.toISOString(),
  };
}

function citationJson(citation: Citation): MessageJson["citations"][number] {
  return { ...citation, href: documentPageHref(citation.documentId, citation.page) };
}

/**
 * Starts a conversation of the caller. Its equipment or project must be the organisation's
 * (422 otherwise): the scope narrows retrieval, so it is checked here, once, not at each question.
 */
export function createConversation(ctx: Ctx, input: CreateConversationInput, now = new Date()): Conversation {
  if (input.equipmentId && !findEquipmentById(ctx, input.equipmentId)) {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "equipmentId", message: "No such equipment in this organisation." },
    ]);
  }
  if (input.projectId && !existingProjectIds(ctx.db, ctx.orgId, [input.projectId]).has(input.projectId)) {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "projectId", message: "No such project in this organisation." },
    ]);
  }
  return ctx.db
    .insert(conversations)
    .values({
      id: newId("cnv", now.getTime()),
      orgId: ctx.orgId,
      userId: ctx.userId,
      title: input.title || UNTITLED,
      equipmentId: input.equipmentId ?? null,
      projectId: input.projectId ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
}

/** The caller's own conversation; null for anyone else's, in this organisation or another. */
export function findConversationById(ctx: Ctx, id: string): Conversation | null {
  return (
    ctx.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.orgId, ctx.orgId), eq(conversations.userId, ctx.userId), eq(conversations.id, id)))
      .get() ?? null
  );
}

/** The caller's own conversation, or 404 "No such conversation." for anyone else's. */
export function conversationOrNotFound(ctx: Ctx, id: string): Conversation {
  const conversation = findConversationById(ctx, id);
  if (!conversation) throw notFound("conversation");
  return conversation;
}

/** The caller's conversations, newest first; the cursor is the last id seen. */
export function listConversations(
  ctx: Ctx,
  query: ConversationListQuery,
): { data: Conversation[]; nextCursor: string | null } {
  const [after] = query.cursor === undefined ? [] : stringCursor(query.cursor, 1);
  const rows = ctx.db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.orgId, ctx.orgId),
        eq(conversations.userId, ctx.userId),
        after !== undefined ? lt(conversations.id, after) : undefined,
      ),
    )
    .orderBy(desc(conversations.id))
    .limit(query.limit + 1)
    .all();
  return pageOf(rows, query.limit, (row) => [row.id]);
}

/** Every message of a conversation, oldest first. */
export function listConversationMessages(ctx: Pick<Ctx, "db" | "orgId">, conversationId: string) {
  return ctx.db
    .select()
    .from(conversationMessages)
    .where(and(eq(conversationMessages.orgId, ctx.orgId), eq(conversationMessages.conversationId, conversationId)))
    .orderBy(asc(conversationMessages.id))
    .all();
}

export function deleteConversation(ctx: Ctx, id: string): void {
  const conversation = conversationOrNotFound(ctx, id);
  // Messages go with it (ON DELETE CASCADE).
  ctx.db.delete(conversations).where(eq(conversations.id, conversation.id)).run();
}

export type ExchangeToStore = {
  question: { id: string; content: string; createdAt: Date };
  answer: { content: string; citations: Citation[]; status: ConversationMessage["status"]; tokenCount: number };
};

/**
 * Stores a question and its answer together, so that a refused or failed request leaves no
 * half exchange behind. The first question names an untitled conversation.
 */
export function storeExchange(
  ctx: Ctx,
  conversation: Conversation,
  exchange: ExchangeToStore,
  now = new Date(),
): ConversationMessage {
  return ctx.db.transaction((tx) => {
    // Deleted while the answer was being written: there is nothing left to add it to.
    const exists = tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.id, conversation.id))
      .get();
    if (!exists) throw new AppError("not_found", "The conversation was deleted.");
    tx.insert(conversationMessages)
      .values({
        id: exchange.question.id,
        orgId: ctx.orgId,
        conversationId: conversation.id,
        role: "user",
        content: exchange.question.content,
        createdAt: exchange.question.createdAt,
      })
      .run();
    const answer = tx
      .insert(conversationMessages)
      .values({
        id: newId("cmg", now.getTime()),
        orgId: ctx.orgId,
        conversationId: conversation.id,
        role: "assistant",
        ...exchange.answer,
        createdAt: now,
      })
      .returning()
      .get();
    const title = conversation.title === UNTITLED ? titleOf(exchange.question.content) : conversation.title;
    tx.update(conversations).set({ title, updatedAt: now }).where(eq(conversations.id, conversation.id)).run();
    return answer;
  });
}

function titleOf(question: string): string {
  const line = question.replace(/\s+/g, " ").trim();
  return line.length <= 80 ? line : `${line.slice(0, 79)}…`;
}
