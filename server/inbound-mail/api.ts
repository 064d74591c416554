import { Hono } from "hono";
import { apiDoc } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { inboundMailInput, inboundMailJson } from "./schemas.ts";
import { findInbox, inboundMailJsonOf, saveInbox } from "./settings.ts";

/** What the OpenAPI document says about these routes (see server/http/openapi.ts). */
const docs = {
  getInbound: apiDoc({
    summary: "Get the organisation's inbound mailbox",
    description: "The IMAP mailbox Opsbox reads, with its state and last error. The password is never returned.",
    tags: ["Mail"],
    responses: { 200: { description: "The mailbox", schema: inboundMailJson } },
  }),
  putInbound: apiDoc({
    summary: "Set the organisation's inbound mailbox",
    description:
      "Saves the mailbox and connects again at once. `password` is write-only: left out, the stored one is kept, except when `host` or `username` changes. " +
      '`authMethod: "oauth"` signs in with XOAUTH2 as the Google or Microsoft mailbox connected in Settings → Inbound mail (422 until one is connected); no password is needed then.',
    tags: ["Mail"],
    responses: { 200: { description: "The mailbox as saved", schema: inboundMailJson } },
  }),
};

/** /api/v1/mail/inbound: the organisation's inbound mailbox (IMAP). */
export const inboundMailApi = new Hono<AppEnv>()
  .get("/", docs.getInbound, requirePermission("settings.manage"), (c) => {
    const ctx = serviceContext(c);
    return c.json(inboundMailJsonOf(ctx.db, ctx.orgId, findInbox(ctx.db, ctx.orgId)));
  })
  .put("/", docs.putInbound, requirePermission("settings.manage"), validate("json", inboundMailInput), (c) => {
    const ctx = serviceContext(c);
    return c.json(inboundMailJsonOf(ctx.db, ctx.orgId, saveInbox(ctx, c.req.valid("json"))));
  });
