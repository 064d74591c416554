import { z } from "zod";
import { searchKinds } from "./service.ts";

/** GET /api/v1/search: `q` is free text (never FTS syntax), `kinds` a comma-separated subset. */
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
      const unknown = kinds.filter((kind) => !(searchKinds as readonly string[]).includes(kind));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `Kinds are ${searchKinds.join(", ")}; unknown: ${unknown.join(", ")}.`,
        });
        return z.NEVER;
      }
      return kinds.length > 0 ? (kinds as (typeof searchKinds)[number][]) : undefined;
    }),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});
export type SearchQuery = z.infer<typeof searchQuery>;

export const searchHitJson = z.object({
  kind: z.enum(searchKinds),
  id: z.string(),
  title: z.string(),
  snippet: z.string(),
  url: z.string(),
});

export const searchResponseJson = z.object({ data: z.array(searchHitJson) });
