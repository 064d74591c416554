import type { Context } from "hono";
import { csvLine } from "../../audit/csv.ts";
import type { ReportTable } from "./tables.ts";

/** The report's rows as CSV: a header of the JSON field names, then one line per row (formulas defused). */
export function reportCsv(table: ReportTable): string {
  const rows = table.data as Record<string, unknown>[];
  return csvLine(table.columns) + rows.map((row) => csvLine(table.columns.map((column) => row[column]))).join("");
}

/** Answers the report as a CSV download (API `format=csv`, `.csv` paths and the console's links). */
export function respondWithReportCsv(c: Context, table: ReportTable): Response {
  return c.body(reportCsv(table), 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${table.filename}.csv"`,
    "Cache-Control": "no-store",
  });
}
