import type { Timesheet } from "../../../models/time.ts";
import { etagOf } from "../../http/etag.ts";
import { addDays, isoWeekLabel } from "../../tools/days.ts";
import { timeEntryJson } from "./entry-json.ts";
import type { DayTotal, WeekSummary } from "./week.ts";

export type TimesheetJson = {
  id: string;
  userId: string;
  weekStart: string;
  weekEnd: string;
  /** ISO week, `2025-W07`. */
  week: string;
  status: Timesheet["status"];
  approvalRequestId: string | null;
  submittedAt: string | null;
  decidedAt: string | null;
  minutes: number;
  billableMinutes: number;
  createdAt: string;
  updatedAt: string;
};

export function timesheetJson(sheet: Timesheet, totals: { minutes: number; billableMinutes: number }): TimesheetJson {
  return {
    id: sheet.id,
    userId: sheet.userId,
    weekStart: sheet.weekStart,
    weekEnd: addDays(sheet.weekStart, 6),
    week: isoWeekLabel(sheet.weekStart),
    status: sheet.status,
    approvalRequestId: sheet.approvalRequestId,
    submittedAt: sheet.submittedAt?.toISOString() ?? null,
    decidedAt: sheet.decidedAt?.toISOString() ?? null,
    minutes: totals.minutes,
    billableMinutes: totals.billableMinutes,
    createdAt: sheet.createdAt.toISOString(),
    updatedAt: sheet.updatedAt.toISOString(),
  };
}

/** GET /timesheets/:id: the sheet with its entries and totals per day and per project. */
export function timesheetDetailJson(sheet: Timesheet, week: WeekSummary) {
  return {
    ...timesheetJson(sheet, week),
    entries: week.entries.map(timeEntryJson),
    totals: {
      byDay: week.byDay satisfies DayTotal[],
      byProject: week.byProject.map(({ byDay: _byDay, ...project }) => project),
    },
  };
}

export function timesheetEtag(sheet: Timesheet, week: WeekSummary): string {
  return etagOf(timesheetDetailJson(sheet, week));
}
