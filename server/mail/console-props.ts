import type { Context } from "hono";
import type { OutboxPageProps } from "../../views/pages/settings/outbox.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "../http/guards.ts";
import { listOutbox } from "./outbox.ts";
import { mailDeliveryConfigured } from "./settings.ts";

/** The outbox page's props: the newest drafts this person may read, single-use links hidden from others. */
export function outboxPageProps(c: Context<AppEnv>): OutboxPageProps {
  const ctx = serviceContext(c);
  const reader = { orgId: ctx.orgId, email: c.var.auth?.user.email ?? "" };
  const messages = listOutbox(ctx.db, reader, 100).map((message) => ({
    id: message.id,
    to: message.toAddress,
    subject: message.subject,
    template: message.template,
    createdAt: message.createdAt.toISOString().slice(0, 16).replace("T", " "),
    body: message.textBody,
    linksHidden: message.linksHidden,
  }));
  return { switcher: organizationSwitcher(c), messages, mailDelivered: mailDeliveryConfigured(ctx.db) };
}
