/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { SuppressionsPage } from "../../views/pages/settings/suppressions.tsx";
import { renderPage } from "../console/render.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import { formCsrf, redirectTo } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { listSuppressions, removeSuppression } from "./suppression-list.ts";
import { suppressionReaderOf } from "./suppressions-api.ts";

const page = { title: "Suppression list", current: "/settings/users" };
const guard = requirePermission("settings.manage");
const idParam = z.object({ id: z.string().min(1).max(64) });

function suppressionsPage(c: Context<AppEnv>, notice: string | null) {
  const entries = listSuppressions(serviceContext(c), suppressionReaderOf(c), 200).map((entry) => ({
    id: entry.id,
    address: entry.address,
    reason: entry.reason,
    source: entry.source,
    boxWide: entry.orgId === null,
    detail: entry.detail,
    createdAt: entry.createdAt.toISOString().slice(0, 16).replace("T", " "),
  }));
  return <SuppressionsPage switcher={organizationSwitcher(c)} entries={entries} csrf={formCsrf(c)} notice={notice} />;
}

/** Settings → Outbox → Suppression list (settings.manage): the newest 200 entries, each removable (audited). */
export const suppressionsConsole = new Hono<AppEnv>()
  .get("/", guard, (c) => {
    const notice =
      c.req.query("notice") === "removed" ? "The address was taken off the list: mail to it is sent again." : null;
    return renderPage(c, page, suppressionsPage(c, notice));
  })
  .post("/:id/remove", guard, validate("param", idParam), (c) => {
    removeSuppression(serviceContext(c), suppressionReaderOf(c), c.req.valid("param").id);
    return redirectTo(c, "/settings/outbox/suppressions?notice=removed");
  });
