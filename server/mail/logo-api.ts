import { Hono } from "hono";
import { z } from "zod";
import { apiDoc } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { changeOrganizationLogo, findOrganizationLogo, logoJsonOf, MAX_LOGO_BYTES } from "./logo.ts";

/** `PUT /api/v1/mail/logo`: the PNG as base64 (the API speaks JSON). */
export const logoInput = z.object({
  png: z
    .base64("Send the PNG as base64.")
    .max(Math.ceil(MAX_LOGO_BYTES / 3) * 4 + 4, "The logo is larger than 100 KB."),
});

export const logoJsonSchema = z.object({
  set: z.boolean(),
  sizeBytes: z.number().int().nullable(),
  updatedAt: z.string().nullable(),
});

const tags = ["E-mail"];
const one = { 200: { description: "The logo's state", schema: logoJsonSchema } };

/** /api/v1/mail/logo: the organisation's logo at the top of its e-mails (settings.manage). */
export const logoApi = new Hono<AppEnv>()
  .get(
    "/",
    apiDoc({ summary: "Whether the organisation has an e-mail logo", tags, responses: one }),
    requirePermission("settings.manage"),
    (c) => {
      const ctx = serviceContext(c);
      return c.json(logoJsonOf(findOrganizationLogo(ctx.db, ctx.orgId)));
    },
  )
  .put(
    "/",
    apiDoc({
      summary: "Set the organisation's e-mail logo",
      description: `A PNG of at most 100 KB and 1024 × 1024 pixels, as base64 in \`png\`. It is sent inline with every e-mail of the organisation. SVG is refused: mail clients do not show it.`,
      tags,
      responses: one,
    }),
    requirePermission("settings.manage"),
    validate("json", logoInput),
    (c) => {
      const bytes = new Uint8Array(Buffer.from(c.req.valid("json").png, "base64"));
      return c.json(logoJsonOf(changeOrganizationLogo(serviceContext(c), c.var.deps.config.dataDir, bytes)));
    },
  )
  .delete(
    "/",
    apiDoc({ summary: "Remove the organisation's e-mail logo", tags, responses: { 204: { description: "Removed." } } }),
    requirePermission("settings.manage"),
    (c) => {
      changeOrganizationLogo(serviceContext(c), c.var.deps.config.dataDir, null);
      return c.body(null, 204);
    },
  );
