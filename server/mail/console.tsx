/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { OutboxPage } from "../../views/pages/settings/outbox.tsx";
import { renderPage } from "../console/render.tsx";
import type { AppEnv } from "../http/env.ts";
import { requirePermission } from "../http/guards.ts";
import { outboxPageProps } from "./console-props.ts";

/** Settings → Outbox: the draft log, for the people who send invitations; single-use links only to whom they are for. */
export const outboxConsole = new Hono<AppEnv>().get("/", requirePermission("users.manage"), (c) => {
  return renderPage(c, { title: "Outbox", current: "/settings/users" }, <OutboxPage {...outboxPageProps(c)} />);
});
