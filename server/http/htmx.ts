import type { Context } from "hono";

/** Whether htmx sent this request (it then wants a fragment, not the whole page). */
export function isHtmxRequest(c: Context): boolean {
  return c.req.header("HX-Request") === "true";
}
