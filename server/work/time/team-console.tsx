/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { TeamPage } from "../../../views/pages/work/time/team.tsx";
import { TotalsPage } from "../../../views/pages/work/time/totals.tsx";
import { renderPage } from "../../console/render.tsx";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { readPostedForm } from "../../http/validate-form.ts";
import { namesOf } from "../../members/directory.ts";
import { teamPageProps, totalsPageProps } from "./console-props.ts";
import { reopenTimesheet } from "./timesheets.ts";
import { totalsRange } from "./totals.ts";
import { dayParam } from "./week-render.tsx";

type Flash = { kind: "notice" | "error"; text: string } | null;

function renderTeam(c: Context<AppEnv>, day: string | undefined, flash: Flash, status: ContentfulStatusCode = 200) {
  return renderPage(
    c,
    { title: "Team time", current: "/time" },
    <TeamPage {...teamPageProps(c, day, flash)} />,
    status,
  );
}

/** /time/team (approvers: their people's weeks, reopen) and /time/totals (hours per project and person). */
export const teamConsole = new Hono<AppEnv>()
  .get("/team", requirePermission("timesheets.approve"), (c) => renderTeam(c, dayParam(c.req.query("week")), null))
  .post("/timesheets/:id/reopen", requirePermission("timesheets.approve"), async (c) => {
    const day = dayParam((await readPostedForm(c)).text("week"));
    const ctx = serviceContext(c);
    try {
      const sheet = reopenTimesheet(ctx, c.req.param("id"));
      if (!isHtmxRequest(c)) return redirectTo(c, `/time/team?week=${sheet.weekStart}`);
      const name = namesOf(ctx.db, ctx.orgId, [sheet.userId]).get(sheet.userId) ?? "The person";
      return renderTeam(c, sheet.weekStart, {
        kind: "notice",
        text: `The week of ${name} is open again; they can change it and submit it anew.`,
      });
    } catch (error) {
      if (!(error instanceof AppError) || !["conflict", "forbidden"].includes(error.code)) throw error;
      return renderTeam(c, day, { kind: "error", text: error.message }, error.status as ContentfulStatusCode);
    }
  })
  .get("/totals", requirePermission("tasks.write"), (c) => {
    const ctx = serviceContext(c);
    const asked = { from: dayParam(c.req.query("from")), to: dayParam(c.req.query("to")) };
    let range: { from: string; to: string };
    let errors: Record<string, string> = {};
    try {
      range = totalsRange(asked);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      errors = Object.fromEntries(error.details.map((detail) => [detail.path, detail.message]));
      range = totalsRange({});
    }
    const page = <TotalsPage {...totalsPageProps(ctx, asked, range, errors)} />;
    return renderPage(c, { title: "Time totals", current: "/time" }, page, Object.keys(errors).length ? 422 : 200);
  });
