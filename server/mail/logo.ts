import { eq } from "drizzle-orm";
import { type OrganizationLogo, organizationLogos } from "../../models/mail.ts";
import { recordAudit } from "../audit/service.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import type { Queryable } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { formatBytes } from "../tools/bytes.ts";
import { type StoredAttachment, storeAttachment } from "./attachments.ts";

/** Small enough to travel with every e-mail of the organisation. */
export const MAX_LOGO_BYTES = 100 * 1024;
const MAX_LOGO_SIDE = 1024;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** How the HTML part names the logo: `<img src="cid:logo@opsbox">`. */
export const LOGO_CONTENT_ID = "logo@opsbox";

/**
 * Why these bytes cannot be the logo, or null. PNG only: mail clients (Gmail, Outlook) do not
 * show SVG, and a PNG is plain pixels, nothing that runs.
 */
export function logoProblem(bytes: Uint8Array): string | null {
  if (bytes.byteLength === 0) return "Choose a PNG file.";
  if (bytes.byteLength > MAX_LOGO_BYTES)
    return `The logo is larger than ${formatBytes(MAX_LOGO_BYTES, 1024)}. Save it smaller (about 400 × 100 pixels is plenty).`;
  const isPng = PNG_SIGNATURE.every((byte, i) => bytes[i] === byte) && bytes.byteLength >= 24;
  if (!isPng) return "The logo must be a PNG file (mail clients do not show SVG).";
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width === 0 || height === 0 || width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE)
    return `The logo must be at most ${MAX_LOGO_SIDE} × ${MAX_LOGO_SIDE} pixels.`;
  return null;
}

/** The organisation's logo, or null. */
export function findOrganizationLogo(db: Queryable, orgId: string): OrganizationLogo | null {
  return db.select().from(organizationLogos).where(eq(organizationLogos.orgId, orgId)).get() ?? null;
}

/** The logo as the API and the settings page show it. */
export type LogoJson = { set: boolean; sizeBytes: number | null; updatedAt: string | null };

export function logoJsonOf(logo: OrganizationLogo | null): LogoJson {
  return { set: logo !== null, sizeBytes: logo?.sizeBytes ?? null, updatedAt: logo?.updatedAt.toISOString() ?? null };
}

/**
 * Stores a new logo for the caller's organisation (422 on `logo` when the bytes cannot be one),
 * or removes it (`bytes` null). Audited as `settings.logo_changed`.
 */
export function changeOrganizationLogo(
  ctx: ServiceContext,
  dataDir: string,
  bytes: Uint8Array | null,
  now = new Date(),
): OrganizationLogo | null {
  const problem = bytes ? logoProblem(bytes) : null;
  if (problem)
    throw new AppError("validation_failed", "The request is not valid.", [{ path: "logo", message: problem }]);
  const stored = bytes ? storeAttachment(dataDir, { fileName: "logo.png", contentType: "image/png", bytes }) : null;
  return ctx.db.transaction((tx) => {
    tx.delete(organizationLogos).where(eq(organizationLogos.orgId, ctx.orgId)).run();
    const logo = stored
      ? tx
          .insert(organizationLogos)
          .values({ orgId: ctx.orgId, sha256: stored.sha256, sizeBytes: stored.sizeBytes, updatedAt: now })
          .returning()
          .get()
      : null;
    recordAudit(
      tx,
      {
        orgId: ctx.orgId,
        action: "settings.logo_changed",
        actorUserId: ctx.userId,
        actorApiKeyId: ctx.apiKeyId,
        targetType: "organization",
        targetId: ctx.orgId,
        details: logo ? { sha256: logo.sha256, sizeBytes: logo.sizeBytes } : { removed: true },
        meta: ctx.meta,
      },
      now,
    );
    return logo;
  });
}

/** What an organisation's e-mails show of it: the content id its HTML refers to, and the attachment that carries it. */
export type MailBranding = { logoCid: string | null; attachments: StoredAttachment[] };

/** The branding of an organisation's e-mails (none for box-wide mail). */
export function mailBrandingFor(db: Queryable, orgId: string | null): MailBranding {
  const logo = orgId ? findOrganizationLogo(db, orgId) : null;
  if (!logo) return { logoCid: null, attachments: [] };
  return {
    logoCid: LOGO_CONTENT_ID,
    attachments: [
      {
        fileName: "logo.png",
        contentType: "image/png",
        sha256: logo.sha256,
        sizeBytes: logo.sizeBytes,
        contentId: LOGO_CONTENT_ID,
      },
    ],
  };
}
