import { and, eq } from "drizzle-orm";
import { type TimeEntry, timeEntries } from "../../../models/time.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { publishEvent } from "../../events/publish.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { assertIfMatch } from "../../http/etag.ts";
import { assertMember, namesOf } from "../../members/directory.ts";
import { formatMinutes } from "../../tools/durations.ts";
import { newId } from "../../tools/ids.ts";
import { timeEntryEtag } from "./entry-json.ts";
import { assertFitsInDay, assertWeekOpen, resolveWork, type Work, workLabel } from "./entry-rules.ts";
import type { CreateTimeEntryInput, UpdateTimeEntryInput } from "./schemas.ts";
import { inScope, timeScopeOf } from "./scope.ts";

/** An entry the caller may see (their own, or one of the people they approve); null otherwise. */
export function findTimeEntryById(ctx: ServiceContext, id: string): TimeEntry | null {
  const entry = ctx.db
    .select()
    .from(timeEntries)
    .where(and(eq(timeEntries.orgId, ctx.orgId), eq(timeEntries.id, id)))
    .get();
  if (!entry) return null;
  if (entry.userId !== ctx.userId && !inScope(timeScopeOf(ctx), entry.userId)) return null;
  return entry;
}

/** The entry, or 404 "No such time entry." where the caller may not see it. */
export function timeEntryOrNotFound(ctx: ServiceContext, id: string): TimeEntry {
  const entry = findTimeEntryById(ctx, id);
  if (!entry) throw notFound("time entry");
  return entry;
}

/** Whose time a new entry is: the caller's, or (with timesheets.approve over them) someone else's. */
function ownerOf(ctx: ServiceContext, userId: string | undefined): string {
  if (!userId || userId === ctx.userId) return ctx.userId;
  if (!ctx.permissions.has("timesheets.approve")) {
    throw new AppError("forbidden", "Logging time for someone else needs the timesheets.approve permission.");
  }
  assertMember(ctx.db, ctx.orgId, userId, "userId");
  if (!inScope(timeScopeOf(ctx), userId)) {
    throw new AppError("forbidden", "You log time only for the people of the teams you lead.");
  }
  return userId;
}

export type NewEntry = { userId: string; date: string; minutes: number; note: string; billable: boolean } & Work;

/** Writes one entry under every rule (week open, 24 hours a day) and its event; inside a transaction. */
export function insertTimeEntry(db: Queryable, ctx: ServiceContext, entry: NewEntry, now = new Date()): TimeEntry {
  assertWeekOpen(db, ctx.orgId, entry.userId, entry.date);
  assertFitsInDay(db, ctx.orgId, entry);
  const row = db
    .insert(timeEntries)
    .values({ id: newId("tim"), orgId: ctx.orgId, ...entry, createdAt: now, updatedAt: now })
    .returning()
    .get();
  publishEvent(db, ctx, {
    type: "time_entry.created",
    subjectType: "time_entry",
    subjectId: row.id,
    summary: `${whoLogged(db, ctx, row.userId)} ${formatMinutes(row.minutes)} on ${workLabel(db, row)} (${row.date})`,
    data: eventData(row),
    audience: [row.userId],
  });
  return row;
}

/** Logs time (POST /time-entries). */
export function createTimeEntry(ctx: ServiceContext, input: CreateTimeEntryInput): TimeEntry {
  return ctx.db.transaction((tx) => {
    const userId = ownerOf(ctx, input.userId);
    const work = resolveWork(tx, ctx.orgId, { taskId: input.taskId ?? null, projectId: input.projectId ?? null });
    return insertTimeEntry(tx, ctx, {
      userId,
      date: input.date,
      minutes: input.minutes,
      note: input.note,
      billable: input.billable,
      ...work,
    });
  });
}

function assertEditable(ctx: ServiceContext, db: Queryable, entry: TimeEntry): void {
  if (entry.invoiceLineId) {
    throw new AppError("conflict", "This entry was billed on an invoice and can no longer change.");
  }
  assertWeekOpen(db, ctx.orgId, entry.userId, entry.date);
}

/** Changes an entry (PATCH); `ifMatch` guards against a stale write. */
export function updateTimeEntry(
  ctx: ServiceContext,
  id: string,
  input: UpdateTimeEntryInput,
  ifMatch?: string,
): TimeEntry {
  return ctx.db.transaction((tx) => {
    const entry = timeEntryOrNotFound(ctx, id);
    assertIfMatch(ifMatch, timeEntryEtag(entry));
    assertEditable(ctx, tx, entry);
    const taskChanged = input.taskId !== undefined;
    const work =
      taskChanged || input.projectId !== undefined
        ? resolveWork(tx, ctx.orgId, {
            taskId: taskChanged ? (input.taskId ?? null) : entry.taskId,
            // A new task brings its own project unless one was sent with it.
            projectId: input.projectId !== undefined ? input.projectId : taskChanged ? null : entry.projectId,
          })
        : { taskId: entry.taskId, projectId: entry.projectId };
    const next = {
      date: input.date ?? entry.date,
      minutes: input.minutes ?? entry.minutes,
      note: input.note ?? entry.note,
      billable: input.billable ?? entry.billable,
      ...work,
    };
    if (next.date !== entry.date) assertWeekOpen(tx, ctx.orgId, entry.userId, next.date);
    assertFitsInDay(tx, ctx.orgId, { userId: entry.userId, date: next.date, minutes: next.minutes }, entry.id);
    const row = tx
      .update(timeEntries)
      .set({ ...next, updatedAt: new Date() })
      .where(and(eq(timeEntries.orgId, ctx.orgId), eq(timeEntries.id, entry.id)))
      .returning()
      .get();
    if (!row) throw notFound("time entry");
    const changed = Object.keys(next).filter((key) => next[key as keyof typeof next] !== entry[key as keyof TimeEntry]);
    publishEvent(tx, ctx, {
      type: "time_entry.updated",
      subjectType: "time_entry",
      subjectId: row.id,
      summary: `${nameOf(tx, ctx.orgId, ctx.userId)} changed ${possessive(tx, ctx, row.userId)} time on ${workLabel(tx, row)} (${row.date})`,
      data: { ...eventData(row), changed },
      audience: [row.userId],
    });
    return row;
  });
}

/** Deletes an entry (DELETE); refused once billed or while its week is locked. */
export function deleteTimeEntry(ctx: ServiceContext, id: string, ifMatch?: string): void {
  ctx.db.transaction((tx) => {
    const entry = timeEntryOrNotFound(ctx, id);
    assertIfMatch(ifMatch, timeEntryEtag(entry));
    assertEditable(ctx, tx, entry);
    tx.delete(timeEntries)
      .where(and(eq(timeEntries.orgId, ctx.orgId), eq(timeEntries.id, entry.id)))
      .run();
    publishEvent(tx, ctx, {
      type: "time_entry.deleted",
      subjectType: "time_entry",
      subjectId: entry.id,
      summary: `${nameOf(tx, ctx.orgId, ctx.userId)} deleted ${possessive(tx, ctx, entry.userId)} ${formatMinutes(entry.minutes)} on ${workLabel(tx, entry)} (${entry.date})`,
      data: eventData(entry),
      audience: [entry.userId],
    });
  });
}

function eventData(entry: TimeEntry): Record<string, unknown> {
  return {
    userId: entry.userId,
    date: entry.date,
    minutes: entry.minutes,
    taskId: entry.taskId,
    projectId: entry.projectId,
    billable: entry.billable,
  };
}

function nameOf(db: Queryable, orgId: string, userId: string): string {
  return namesOf(db, orgId, [userId]).get(userId) ?? "Someone";
}

function whoLogged(db: Queryable, ctx: ServiceContext, userId: string): string {
  if (userId === ctx.userId) return `${nameOf(db, ctx.orgId, userId)} logged`;
  return `${nameOf(db, ctx.orgId, ctx.userId)} logged for ${nameOf(db, ctx.orgId, userId)}`;
}

function possessive(db: Queryable, ctx: ServiceContext, userId: string): string {
  return userId === ctx.userId ? "their" : `${nameOf(db, ctx.orgId, userId)}’s`;
}
