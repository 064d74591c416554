/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { OutboxPage } from "../../views/pages/settings/outbox.tsx";
import { requirePermission, serviceContext } from "../auth/guard.ts";
import { organizationSwitcher } from "../auth/settings-frame-props.ts";
import type { AppEnv } from "../http/env.ts";
import { renderPage } from "../http/render.tsx";
import { listOutbox } from "./outbox.ts";

/** Settings → Outbox: the draft log, for the people who send invitations. */
export const outboxConsole = new Hono<AppEnv>().get("/settings/outbox", requirePermission("users.manage"), (c) => {
  const ctx = serviceContext(c);
  const includeBoxWide = c.var.auth?.user.isInstanceAdmin ?? false;
  const messages = listOutbox(ctx.db, { orgId: ctx.orgId, includeBoxWide, limit: 100 }).map((message) => ({
    id: message.id,
    to: message.toAddress,
    subject: message.subject,
    template: message.template,
    createdAt: message.createdAt.toISOString().slice(0, 16).replace("T", " "),
    body: message.textBody,
    boxWide: message.orgId === null,
  }));
  const page = <OutboxPage switcher={organizationSwitcher(c)} messages={messages} showsBoxWide={includeBoxWide} />;
  return renderPage(c, { title: "Outbox", current: "/settings/users" }, page);
});
