/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { OutboxPage } from "../../views/pages/settings/outbox.tsx";
import { renderPage } from "../console/render.tsx";
import { redirectTo } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { outboxPageProps } from "./console-props.ts";
import { cancelMessage, retryMessage } from "./outbox-actions.ts";
import { outboxReaderOf } from "./reader.ts";

const page = { title: "Outbox", current: "/settings/users" };
const guard = requirePermission("users.manage");
const notices: Record<string, string> = {
  retried: "The message is queued: it is sent in a moment.",
  cancelled: "The message was cancelled: it will not be sent.",
};

/** A retry or cancel the message's status does not allow (409) shows on the page; a 404 stays a 404. */
function act(c: Context<AppEnv>, action: "retried" | "cancelled") {
  const id = c.req.param("id") ?? "";
  try {
    if (action === "retried") retryMessage(serviceContext(c), outboxReaderOf(c), id);
    else cancelMessage(serviceContext(c), outboxReaderOf(c), id);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "conflict") throw error;
    return renderPage(c, page, <OutboxPage {...outboxPageProps(c, { error: error.message })} />, 409);
  }
  return redirectTo(c, `/settings/outbox?notice=${action}`);
}

/**
 * Settings → Outbox: every message of the organisation, for the people who send its invitations;
 * single-use links only to whom they are for. They may retry a failed or draft-log message and
 * cancel a queued one.
 */
export const outboxConsole = new Hono<AppEnv>()
  .get("/", guard, (c) => {
    const notice = notices[c.req.query("notice") ?? ""] ?? null;
    return renderPage(c, page, <OutboxPage {...outboxPageProps(c, { notice })} />);
  })
  .post("/:id/retry", guard, (c) => act(c, "retried"))
  .post("/:id/cancel", guard, (c) => act(c, "cancelled"));
