/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";

/** One report on /reports: its heading, what it covers, its chart (or what to do when empty) and its CSV. */
export function ReportSection(props: {
  id: string;
  title: string;
  summary: string;
  csvHref: string;
  empty: boolean;
  emptyText: string;
  children: Child;
}) {
  return (
    <section class="report" id={props.id} aria-labelledby={`${props.id}-heading`}>
      <header class="report-header">
        <h2 id={`${props.id}-heading`}>{props.title}</h2>
        <a href={props.csvHref} download class="report-csv" aria-label={`Download “${props.title}” as CSV`}>
          CSV
        </a>
      </header>
      <p class="report-summary">{props.summary}</p>
      {props.empty ? <p class="empty-state">{props.emptyText}</p> : props.children}
    </section>
  );
}

/** Up to `max` bars: the rest are summed into one "Others" bar (the table keeps every row). */
export function topWithOthers<Row>(
  rows: Row[],
  max: number,
  label: (row: Row) => string,
  value: (row: Row) => number,
): { categories: string[]; values: number[] } {
  const shown = rows.length > max ? rows.slice(0, max - 1) : rows;
  const rest = rows.slice(shown.length);
  const categories = shown.map(label);
  const values = shown.map(value);
  if (rest.length > 0) {
    categories.push(`Others (${rest.length})`);
    values.push(Math.round(rest.reduce((sum, row) => sum + value(row), 0) * 100) / 100);
  }
  return { categories, values };
}

/** 1.5 → "1.5 h", 12 → "12 h". */
export function formatHours(hours: number): string {
  return `${hoursFormat.format(hours)} h`;
}

const hoursFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });
