import { and, asc, eq, gte, inArray, isNull, lte, ne } from "drizzle-orm";
import { timeEntries } from "../../../models/time.ts";
import { projects, tasks } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { AppError } from "../../http/errors.ts";
import { publishInvoiceEvent } from "./events.ts";
import { assertDraft } from "./invoice-writes.ts";
import { findInvoiceById, type InvoiceView, invoiceOrNotFound } from "./invoices.ts";
import { type LineValues, saveInvoiceLines } from "./lines.ts";
import type { LinesFromTimeInput } from "./schemas.ts";
import { readInvoiceSettings } from "./settings.ts";
import { divideRounded } from "./totals.ts";

/** Minutes as thousandths of an hour (3 decimals), rounded half away from zero like every other amount. */
export function minutesToHoursMilli(minutes: number): number {
  return Number(divideRounded(BigInt(minutes) * 1000n, 60n));
}

/**
 * Turns the project's billable, not yet billed time entries dated `from`..`to` into lines of a
 * draft invoice: one line per task (or one for the project's entries without a task), the
 * quantity the hours to three decimals, summed before rounding. Each entry is marked billed
 * (its `invoiceLineId`) in the same transaction, so no entry is ever billed twice. 422 when
 * there is nothing to bill.
 */
export function addLinesFromTime(
  ctx: ServiceContext,
  invoiceId: string,
  input: LinesFromTimeInput,
  now = new Date(),
): InvoiceView {
  ctx.db.transaction((tx) => {
    const view = invoiceOrNotFound({ db: tx, orgId: ctx.orgId }, invoiceId);
    assertDraft(view.invoice, "billed from time");
    const project = tx
      .select({ id: projects.id, name: projects.name })
      .from(projects)
      .where(and(eq(projects.orgId, ctx.orgId), eq(projects.id, input.projectId)))
      .get();
    if (!project) {
      throw new AppError("validation_failed", "The request is not valid.", [
        { path: "projectId", message: "No such project in this organisation." },
      ]);
    }
    const entries = tx
      .select({ id: timeEntries.id, minutes: timeEntries.minutes, taskId: timeEntries.taskId })
      .from(timeEntries)
      .where(
        and(
          eq(timeEntries.orgId, ctx.orgId),
          eq(timeEntries.projectId, project.id),
          eq(timeEntries.billable, true),
          isNull(timeEntries.invoiceLineId),
          gte(timeEntries.date, input.from),
          lte(timeEntries.date, input.to),
        ),
      )
      .orderBy(asc(timeEntries.date), asc(timeEntries.id))
      .all();
    const groups = new Map<string | null, { minutes: number; entryIds: string[] }>();
    for (const entry of entries) {
      const group = groups.get(entry.taskId) ?? { minutes: 0, entryIds: [] };
      group.minutes += entry.minutes;
      group.entryIds.push(entry.id);
      groups.set(entry.taskId, group);
    }
    for (const [key, group] of groups) if (group.minutes <= 0) groups.delete(key);
    if (groups.size === 0) {
      throw new AppError("validation_failed", "The request is not valid.", [
        {
          path: "projectId",
          message: `“${project.name}” has no billable, unbilled time from ${input.from} to ${input.to}.`,
        },
      ]);
    }
    const taskIds = [...groups.keys()].filter((id): id is string => id !== null);
    const titles = new Map(
      taskIds.length === 0
        ? []
        : tx
            .select({ id: tasks.id, title: tasks.title })
            .from(tasks)
            .where(inArray(tasks.id, taskIds))
            .all()
            .map((task) => [task.id, task.title]),
    );
    const taxRate = input.taxRate ?? readInvoiceSettings(tx, ctx.orgId).defaultTaxRate;
    const period = input.from === input.to ? input.from : `${input.from} – ${input.to}`;
    const added: (LineValues & { entryIds: string[] })[] = [...groups].map(([taskId, group]) => ({
      description: `${taskId ? `${project.name}: ${titles.get(taskId) ?? "task"}` : project.name} (${period})`,
      quantityMilli: minutesToHoursMilli(group.minutes),
      unitPrice: input.unitPrice,
      taxRate,
      entryIds: group.entryIds,
    }));
    const current: LineValues[] = view.lines.map(({ id, description, quantityMilli, unitPrice, taxRate }) => ({
      id,
      description,
      quantityMilli,
      unitPrice,
      taxRate,
    }));
    const saved = saveInvoiceLines(tx, view.invoice, view.lines, [...current, ...added], now);
    added.forEach((line, index) => {
      const savedLine = saved.lines[current.length + index];
      if (!savedLine) return;
      tx.update(timeEntries)
        .set({ invoiceLineId: savedLine.id, updatedAt: now })
        .where(inArray(timeEntries.id, line.entryIds))
        .run();
    });
    publishInvoiceEvent(
      tx,
      ctx,
      view.invoice,
      "invoice.updated",
      `Invoice ${view.invoice.number}: time of “${project.name}” billed`,
      { fields: ["lines", "total"], projectId: project.id, timeEntries: entries.length },
      now,
    );
  });
  const view = findInvoiceById(ctx.db, ctx.orgId, invoiceId);
  if (!view) throw new AppError("internal", "The invoice could not be read back.");
  return view;
}

/** Projects that time can be billed from (not archived), by name, for the console's picker. */
export function projectChoices(ctx: ServiceContext, limit = 500): { id: string; name: string }[] {
  return ctx.db
    .select({ id: projects.id, name: projects.name })
    .from(projects)
    .where(and(eq(projects.orgId, ctx.orgId), ne(projects.status, "archived")))
    .orderBy(asc(projects.name))
    .limit(limit)
    .all();
}
