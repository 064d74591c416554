import { and, eq } from "drizzle-orm";
import { timesheets } from "../../../models/time.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { weekHref } from "./console-props.ts";
import { inScope, timeScopeOf } from "./scope.ts";

/** The submitted person's week (the caller's own needs no `user=`); null when the caller may not see it. */
export function timesheetHref(ctx: ServiceContext, sheetId: string): string | null {
  const sheet = ctx.db
    .select({ userId: timesheets.userId, weekStart: timesheets.weekStart })
    .from(timesheets)
    .where(and(eq(timesheets.orgId, ctx.orgId), eq(timesheets.id, sheetId)))
    .get();
  if (!sheet) return null;
  if (sheet.userId === ctx.userId) return weekHref(sheet.weekStart);
  return inScope(timeScopeOf(ctx), sheet.userId) ? weekHref(sheet.weekStart, sheet.userId) : null;
}
