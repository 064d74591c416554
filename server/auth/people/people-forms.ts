import type { Context } from "hono";
import type { AppEnv } from "../../http/env.ts";

export type PostedForm = { text: (name: string) => string; list: (name: string) => string[] };

/** A posted form read once, with repeated names (checkboxes) kept as lists; files are ignored. */
export async function readPostedForm(c: Context<AppEnv>): Promise<PostedForm> {
  const body = await c.req.parseBody({ all: true });
  const values = (name: string): string[] => {
    const value = body[name];
    const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return items.filter((item): item is string => typeof item === "string");
  };
  return { text: (name) => values(name)[0] ?? "", list: values };
}
