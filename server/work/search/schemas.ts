import { z } from "zod";
import { limitQuery } from "../../http/cursor.ts";
import { documentSearchParams, documentSectionJson } from "../../knowledge/search/search-section.ts";
import { searchKinds } from "./service.ts";

/** What `kinds` may name: the workspace's kinds, and the documents of the knowledge base. */
const queryKinds = [...searchKinds, "document"] as const;
type QueryKind = (typeof queryKinds)[number];

/**
 * GET /api/v1/search: `q` is free text (never FTS syntax), `kinds` a comma-separated subset;
 * category, tag, equipmentId and projectId narrow the documents part only.
 */
export const searchQuery = z.object({
  q: z.string().max(500, "Search for at most 500 characters.").default(""),
  kinds: z
    .string()
    .max(200)
    .optional()
    .transform((text, ctx) => {
      const kinds = (text ?? "")
        .split(",")
        .map((kind) => kind.trim())
        .filter(Boolean);
      const unknown = kinds.filter((kind) => !(queryKinds as readonly string[]).includes(kind));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `Kinds are ${queryKinds.join(", ")}; unknown: ${unknown.join(", ")}.`,
        });
        return z.NEVER;
      }
      return kinds.length > 0 ? (kinds as QueryKind[]) : undefined;
    }),
  limit: limitQuery(20),
  ...documentSearchParams,
});
export type SearchQuery = z.infer<typeof searchQuery>;

export const searchHitJson = z.object({
  kind: z.enum(searchKinds),
  id: z.string(),
  title: z.string(),
  snippet: z.string(),
  url: z.string(),
});

export const searchResponseJson = z.object({
  data: z.array(searchHitJson),
  documents: documentSectionJson
    .optional()
    .describe(
      "Passages of the organisation's documents (hybrid BM25 + vector search), present when q is given and kinds includes document or is absent",
    ),
});
