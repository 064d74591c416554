import type { Context } from "hono";
import { Hono } from "hono";
import { apiDoc } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { requireAuth, requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { erasePerson } from "./erasure.ts";
import { exportPersonZip, type PersonExport } from "./exports.ts";
import { confirmRetention, previewRetention, type RetentionPreview } from "./retention.ts";
import { confirmRetentionInput, eraseInput } from "./schemas.ts";

const tags = ["Personal data"];
const zipResponse = { 200: { description: "A zip of JSON files and uploads", contentType: "application/zip" } };

/** A zip download that no cache keeps. */
export function zipDownload(c: Context<AppEnv>, zip: PersonExport): Response {
  const body = zip.bytes.buffer.slice(zip.bytes.byteOffset, zip.bytes.byteOffset + zip.bytes.byteLength) as ArrayBuffer;
  return c.body(body, 200, {
    "Content-Type": "application/zip",
    "Content-Disposition": `attachment; filename="${zip.fileName}"`,
    "Cache-Control": "no-store",
  });
}

export function retentionJson(preview: RetentionPreview) {
  return {
    dataRetentionDays: preview.dataRetentionDays,
    cutoff: preview.cutoff?.toISOString() ?? null,
    counts: preview.counts,
    confirmedAt: preview.confirmation?.confirmedAt ?? null,
    confirmedDays: preview.confirmation?.dataRetentionDays ?? null,
    active: preview.active,
  };
}

/** /me/export, /users/{id}/export, /users/{id}/erase, /retention. */
export const privacyApi = new Hono<AppEnv>()
  .get(
    "/me/export",
    apiDoc({ summary: "Download everything this organisation holds about me", tags, responses: zipResponse }),
    requireAuth(),
    (c) => {
      const ctx = serviceContext(c);
      return zipDownload(c, exportPersonZip(ctx, c.var.deps.config.dataDir, ctx.userId));
    },
  )
  .get(
    "/users/:id/export",
    apiDoc({ summary: "Download everything this organisation holds about a member", tags, responses: zipResponse }),
    requirePermission("users.manage"),
    (c) => zipDownload(c, exportPersonZip(serviceContext(c), c.var.deps.config.dataDir, c.req.param("id"))),
  )
  .post(
    "/users/:id/erase",
    apiDoc({ summary: "Erase a person: pseudonymise their records, delete or reassign their uploads", tags }),
    requirePermission("users.manage"),
    validate("json", eraseInput),
    (c) => c.json(erasePerson(serviceContext(c), c.var.deps.config.dataDir, c.req.param("id"), c.req.valid("json"))),
  )
  .get(
    "/retention",
    apiDoc({ summary: "What data retention deletes now, and whether it is confirmed", tags }),
    requirePermission("settings.manage"),
    (c) => c.json(retentionJson(previewRetention(c.var.deps.db, serviceContext(c).orgId))),
  )
  .post(
    "/retention/confirm",
    apiDoc({ summary: "Confirm the retention preview so that the daily job deletes", tags }),
    requirePermission("settings.manage"),
    validate("json", confirmRetentionInput),
    (c) => c.json(retentionJson(confirmRetention(serviceContext(c), c.req.valid("json").dataRetentionDays))),
  );
