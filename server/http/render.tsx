import type { Context } from "hono";
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { Layout, type LayoutProps } from "../../views/layout.tsx";

export function isHtmxRequest(c: Context): boolean {
  return c.req.header("HX-Request") === "true";
}

/**
 * Answers a console page: the whole document on a full load, only the page's content when
 * htmx asked for it (one component serves both).
 */
export function renderPage(
  c: Context,
  page: Omit<LayoutProps, "children">,
  body: Child,
  status: ContentfulStatusCode = 200,
): Response | Promise<Response> {
  if (isHtmxRequest(c)) return c.html(html`${body}`, status);
  return c.html(html`<!doctype html>${<Layout {...page}>{body}</Layout>}`, status);
}
