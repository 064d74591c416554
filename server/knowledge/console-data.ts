import type { Context } from "hono";
import { z } from "zod";
import { documentStatuses } from "../../models/knowledge.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "../http/guards.ts";
import { listDocuments } from "./service.ts";

/** What the documents pages and their live copies (console-live.tsx) read: the list's filters and page (their props are in console-props.ts). */

export const listFilters = z.object({
  status: z.enum(["", ...documentStatuses]).catch(""),
  category: z.string().trim().max(60).catch(""),
  tag: z.string().trim().max(40).catch(""),
  q: z.string().trim().max(120).catch(""),
});
export type ListFilters = z.infer<typeof listFilters>;

export function readListFilters(query: Record<string, string>): ListFilters {
  return listFilters.parse({ status: "", category: "", tag: "", q: "", ...query });
}

/** The list as the page (and its live copy) shows it. */
export function listForPage(c: Context<AppEnv>, filters: ListFilters, cursor?: string) {
  return listDocuments(serviceContext(c), {
    limit: 50,
    cursor,
    status: filters.status ? [filters.status] : undefined,
    category: filters.category || undefined,
    tag: filters.tag || undefined,
    q: filters.q || undefined,
  });
}
