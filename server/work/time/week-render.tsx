/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { WeekPage } from "../../../views/pages/work/time/week.tsx";
import { renderPage } from "../../console/render.tsx";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { type WeekState, weekPageProps } from "./console-props.ts";
import { assertSeesTimeOf } from "./scope.ts";

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** The day a `?week=` names, when it is a real date. */
export function dayParam(value: string | undefined): string | undefined {
  if (!value || !dayPattern.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return undefined;
  return value;
}

/** Renders /time for a week (the whole page, or #main's content for htmx) with the form state given. */
export function renderWeek(c: Context<AppEnv>, state: WeekState, status: ContentfulStatusCode = 200) {
  const ctx = serviceContext(c);
  const otherId = state.userId && state.userId !== ctx.userId ? state.userId : null;
  if (otherId) assertSeesTimeOf(ctx, otherId);
  return renderPage(c, { title: "Time", current: "/time" }, <WeekPage {...weekPageProps(c, state, otherId)} />, status);
}
