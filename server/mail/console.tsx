/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { OutboxPage } from "../../views/pages/settings/outbox.tsx";
import { renderPage } from "../console/render.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { listOutbox, mailDeliveryConfigured } from "./outbox.ts";

/** Settings → Outbox: the draft log, for the people who send invitations; single-use links only to whom they are for. */
export const outboxConsole = new Hono<AppEnv>().get("/", requirePermission("users.manage"), (c) => {
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
  const page = (
    <OutboxPage switcher={organizationSwitcher(c)} messages={messages} mailDelivered={mailDeliveryConfigured(ctx.db)} />
  );
  return renderPage(c, { title: "Outbox", current: "/settings/users" }, page);
});
