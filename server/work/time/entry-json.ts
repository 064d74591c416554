import type { TimeEntry } from "../../../models/time.ts";
import { etagOf } from "../../http/etag.ts";

export type TimeEntryJson = {
  id: string;
  userId: string;
  date: string;
  minutes: number;
  taskId: string | null;
  projectId: string | null;
  note: string;
  billable: boolean;
  /** Billed on an invoice: read-only from then on. */
  invoiced: boolean;
  invoiceLineId: string | null;
  createdAt: string;
  updatedAt: string;
};

export function timeEntryJson(entry: TimeEntry): TimeEntryJson {
  return {
    id: entry.id,
    userId: entry.userId,
    date: entry.date,
    minutes: entry.minutes,
    taskId: entry.taskId,
    projectId: entry.projectId,
    note: entry.note,
    billable: entry.billable,
    invoiced: entry.invoiceLineId !== null,
    invoiceLineId: entry.invoiceLineId,
    createdAt: entry.createdAt.toISOString(),
    updatedAt: entry.updatedAt.toISOString(),
  };
}

export function timeEntryEtag(entry: TimeEntry): string {
  return etagOf(timeEntryJson(entry));
}
