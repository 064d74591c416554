/** @jsxImportSource hono/jsx */
import type { InvoiceStatus } from "../../../../models/billing.ts";
import { formatDay } from "../../../../server/tools/days.ts";
import { formatMoney, minorUnitDigits } from "../../../../server/tools/money.ts";
import type { InvoicesByMonthRow, InvoicesByStatusRow } from "../../../../server/work/reports/invoices.ts";
import type { DayRange } from "../../../../server/work/reports/range.ts";
import { BarChart } from "../../../components/chart.tsx";
import { ReportSection } from "./report-section.tsx";

const statusLabels: Record<InvoiceStatus, string> = {
  draft: "Draft",
  pending_approval: "Pending approval",
  approved: "Approved",
  sent: "Sent",
  paid: "Paid",
  overdue: "Overdue",
  void: "Void",
};

function rangeText(range: DayRange): string {
  return `issued from ${formatDay(range.from)} to ${formatDay(range.to)}`;
}

function currenciesOf(rows: { currency: string }[]): string[] {
  return [...new Set(rows.map((row) => row.currency))].sort();
}

/** Invoices per status: the chart counts them, the table adds the totals per currency. */
export function InvoicesByStatusReport(props: { rows: InvoicesByStatusRow[]; range: DayRange; csvHref: string }) {
  const statuses = [...new Set(props.rows.map((row) => row.status))];
  const counts = statuses.map((status) =>
    props.rows.filter((row) => row.status === status).reduce((sum, row) => sum + row.count, 0),
  );
  const invoices = counts.reduce((sum, value) => sum + value, 0);
  return (
    <ReportSection
      id="invoices-by-status"
      title="Invoices by status"
      summary={`${invoices} ${invoices === 1 ? "invoice" : "invoices"} ${rangeText(props.range)}.`}
      csvHref={props.csvHref}
      empty={props.rows.length === 0}
      emptyText="No invoices were issued in this range. Create one under Invoices."
    >
      <BarChart
        id="invoices-by-status-chart"
        title="Invoices by status"
        description={`Number of invoices per status, ${rangeText(props.range)}.`}
        categories={statuses.map((status) => statusLabels[status])}
        series={[{ name: "Invoices", values: counts }]}
        xLabel="Status"
        yLabel="Invoices"
        integers
        dataTable={
          <InvoiceTable head="Status" rows={props.rows.map((row) => ({ ...row, label: statusLabels[row.status] }))} />
        }
      />
    </ReportSection>
  );
}

/** Invoiced per month of issue, one bar per currency (void invoices left out). */
export function InvoicesByMonthReport(props: {
  rows: InvoicesByMonthRow[];
  months: string[];
  range: DayRange;
  csvHref: string;
}) {
  const currencies = currenciesOf(props.rows);
  // Bars in major units so the axis reads as money; the titles and the table are exact.
  const series = currencies.map((currency) => ({
    name: currency,
    values: props.months.map((month) => {
      const row = props.rows.find((candidate) => candidate.month === month && candidate.currency === currency);
      return (row?.total ?? 0) / 10 ** minorUnitDigits(currency);
    }),
  }));
  return (
    <ReportSection
      id="invoices-by-month"
      title="Invoiced per month"
      summary={`Totals of the invoices ${rangeText(props.range)}, by month of issue; void invoices are left out.`}
      csvHref={props.csvHref}
      empty={props.rows.length === 0}
      emptyText="No invoices were issued in this range (void ones are left out)."
    >
      <BarChart
        id="invoices-by-month-chart"
        title="Invoiced per month"
        description={`Total invoiced per month and currency (${currencies.join(", ")}), ${rangeText(props.range)}.`}
        categories={props.months.map(monthLabel)}
        series={series}
        xLabel="Month of issue"
        yLabel={currencies.length === 1 ? `Total (${currencies[0]})` : "Total"}
        format={(value, seriesIndex) => {
          const currency = currencies[seriesIndex] ?? "EUR";
          return formatMoney(Math.round(value * 10 ** minorUnitDigits(currency)), currency);
        }}
        formatTick={(value) => value.toLocaleString("en", { notation: "compact" })}
        dataTable={
          <InvoiceTable head="Month" rows={props.rows.map((row) => ({ ...row, label: monthLabel(row.month) }))} />
        }
      />
    </ReportSection>
  );
}

function InvoiceTable(props: {
  head: string;
  rows: { label: string; currency: string; count: number; total: number }[];
}) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{props.head}</th>
          <th scope="col">Currency</th>
          <th scope="col" class="numeric">
            Invoices
          </th>
          <th scope="col" class="numeric">
            Total
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr>
            <th scope="row">{row.label}</th>
            <td>{row.currency}</td>
            <td class="numeric">{row.count}</td>
            <td class="numeric">{formatMoney(row.total, row.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });

/** 2030-01 → "Jan 2030". */
function monthLabel(month: string): string {
  return monthFormat.format(new Date(`${month}-01T00:00:00.000Z`));
}
