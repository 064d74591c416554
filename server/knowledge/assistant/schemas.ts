import { z } from "zod";
import { messageRoles, messageStatuses } from "../../../models/knowledge.ts";
import { pageQuery } from "../../http/cursor.ts";
import { isId } from "../../tools/ids.ts";

/** One schema per request and answer of the assistant: the API validates with these and documents them. */

export const MAX_QUESTION_CHARS = 4000;

const idOf = (prefix: "eqp" | "prj", what: string) =>
  z
    .string()
    .trim()
    .refine((value) => isId(prefix, value), { message: `Use ${what} id (${prefix}_…).` });

export const createConversationInput = z
  .object({
    title: z.string().trim().max(120, "Use at most 120 characters.").optional(),
    equipmentId: idOf("eqp", "a piece of equipment's")
      .optional()
      .describe("Answer only from the manuals linked to this equipment."),
    projectId: idOf("prj", "a project's").optional().describe("Answer only from the documents linked to this project."),
  })
  .strict();
export type CreateConversationInput = z.infer<typeof createConversationInput>;

export const conversationListQuery = pageQuery;
export type ConversationListQuery = z.infer<typeof conversationListQuery>;

export const postMessageInput = z
  .object({
    content: z
      .string()
      .trim()
      .min(1, "Ask a question.")
      .max(MAX_QUESTION_CHARS, `Use at most ${MAX_QUESTION_CHARS} characters.`),
  })
  .strict();
export type PostMessageInput = z.infer<typeof postMessageInput>;

export const citationJsonSchema = z.object({
  n: z.number().int().describe("The number the answer cites it by: [1], [2] …"),
  documentId: z.string(),
  page: z.number().int(),
  chunkId: z.number().int(),
  title: z.string(),
  href: z.string().describe("The console page of the document at that page."),
});

export const messageJsonSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  role: z.enum(messageRoles),
  content: z.string().describe("The text as written (Markdown for answers)."),
  html: z.string().describe("The content as escaped, sanitised HTML with citations as numbered links."),
  citations: z.array(citationJsonSchema),
  status: z.enum(messageStatuses).describe("complete, stopped (cut short by a stop or disconnect) or failed."),
  tokenCount: z
    .number()
    .int()
    .describe("Tokens the chat model generated for this answer; 0 for questions and answers it did not write."),
  createdAt: z.string(),
});
export type MessageJson = z.infer<typeof messageJsonSchema>;

export const conversationJsonSchema = z.object({
  id: z.string(),
  title: z.string(),
  equipmentId: z.string().nullable(),
  projectId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConversationJson = z.infer<typeof conversationJsonSchema>;

export const conversationWithMessagesSchema = conversationJsonSchema.extend({ messages: z.array(messageJsonSchema) });

export const conversationPageSchema = z.object({
  data: z.array(conversationJsonSchema),
  nextCursor: z.string().nullable(),
});
