/** @jsxImportSource hono/jsx */
import { eq } from "drizzle-orm";
import type { Broadcast } from "../../models/broadcasts.ts";
import { organizations } from "../../models/identity.ts";
import { BroadcastMailHtml, type BroadcastMailProps, broadcastMailText } from "../../views/mail/broadcast-mail.tsx";
import type { Db } from "../db.ts";
import type { StoredAttachment } from "../mail/attachments.ts";
import { mailBrandingFor } from "../mail/logo.ts";
import { namesOf } from "../members/directory.ts";
import { renderMarkdown } from "../tools/markdown.ts";
import { audienceWords } from "./service.ts";

/** A broadcast's e-mail and its console notification's title: the same for every recipient. */
export type RenderedBroadcast = {
  subject: string;
  text: string;
  html: string;
  title: string;
  /** The organisation's logo, inline, when it has one. */
  attachments: StoredAttachment[];
};

/** The one e-mail and notification title of a broadcast, the same for every recipient. */
export function renderBroadcastMail(deps: { db: Db; baseUrl: string }, broadcast: Broadcast): RenderedBroadcast {
  const organization =
    deps.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, broadcast.orgId)).get()
      ?.name ?? "Opsbox";
  const sender = broadcast.senderId
    ? (namesOf(deps.db, broadcast.orgId, [broadcast.senderId]).get(broadcast.senderId) ?? "Someone")
    : "Someone";
  const base = deps.baseUrl.replace(/\/+$/, "");
  const branding = mailBrandingFor(deps.db, broadcast.orgId);
  const props: BroadcastMailProps = {
    organization,
    subject: broadcast.subject,
    from: `${sender} to ${audienceWords(broadcast)}`,
    bodyHtml: renderMarkdown(broadcast.body),
    bodyText: broadcast.body,
    url: `${base}/broadcasts/${broadcast.id}`,
    preferencesUrl: `${base}/account/notifications`,
    logoCid: branding.logoCid,
  };
  return {
    subject: `${broadcast.subject} · ${organization}`,
    text: broadcastMailText(props),
    html: `<!doctype html>${(<BroadcastMailHtml {...props} />).toString()}`,
    title: `${sender}: ${broadcast.subject}`,
    attachments: branding.attachments,
  };
}
