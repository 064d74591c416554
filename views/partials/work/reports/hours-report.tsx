/** @jsxImportSource hono/jsx */

import { formatDay } from "../../../../server/tools/days.ts";
import type { HoursByPersonRow, HoursByProjectRow } from "../../../../server/work/reports/hours.ts";
import type { DayRange } from "../../../../server/work/reports/range.ts";
import { BarChart } from "../../../components/chart.tsx";
import { formatHours, ReportSection, topWithOthers } from "./report-section.tsx";

const MAX_BARS = 15;

function rangeText(range: DayRange): string {
  return `${formatDay(range.from)} to ${formatDay(range.to)}`;
}

function totalHours(rows: { minutes: number }[]): number {
  return Math.round((rows.reduce((sum, row) => sum + row.minutes, 0) * 100) / 60) / 100;
}

/** Hours by project: everyone's logged time per project (workspace.read). */
export function HoursByProjectReport(props: { rows: HoursByProjectRow[]; range: DayRange; csvHref: string }) {
  const label = (row: HoursByProjectRow) =>
    row.projectCode ? `${row.projectCode} · ${row.projectName}` : row.projectName;
  const bars = topWithOthers(props.rows, MAX_BARS, label, (row) => row.hours);
  return (
    <ReportSection
      id="hours-by-project"
      title="Hours by project"
      summary={`${formatHours(totalHours(props.rows))} logged from ${rangeText(props.range)}.`}
      csvHref={props.csvHref}
      empty={props.rows.length === 0}
      emptyText="No time was logged in this range. Hours show here once people log time on their tasks and projects (Time)."
    >
      <BarChart
        id="hours-by-project-chart"
        title="Hours by project"
        description={`Hours logged per project from ${rangeText(props.range)}; most first.`}
        categories={bars.categories}
        series={[{ name: "Hours", values: bars.values }]}
        xLabel="Project"
        yLabel="Hours"
        format={formatHours}
        formatTick={(value) => String(value)}
        dataTable={
          <HoursTable
            head="Project"
            rows={props.rows.map((row) => ({
              label: label(row),
              minutes: row.minutes,
              billable: row.billableMinutes,
              hours: row.hours,
            }))}
          />
        }
      />
    </ReportSection>
  );
}

/** Hours by person (timesheets.approve; a Team Lead sees their teams). */
export function HoursByPersonReport(props: { rows: HoursByPersonRow[]; range: DayRange; csvHref: string }) {
  const bars = topWithOthers(
    props.rows,
    MAX_BARS,
    (row) => row.name,
    (row) => row.hours,
  );
  return (
    <ReportSection
      id="hours-by-person"
      title="Hours by person"
      summary={`${formatHours(totalHours(props.rows))} logged from ${rangeText(props.range)} by the people whose time you approve.`}
      csvHref={props.csvHref}
      empty={props.rows.length === 0}
      emptyText="Nobody whose time you approve logged time in this range."
    >
      <BarChart
        id="hours-by-person-chart"
        title="Hours by person"
        description={`Hours logged per person from ${rangeText(props.range)}; most first.`}
        categories={bars.categories}
        series={[{ name: "Hours", values: bars.values }]}
        xLabel="Person"
        yLabel="Hours"
        format={formatHours}
        formatTick={(value) => String(value)}
        dataTable={
          <HoursTable
            head="Person"
            rows={props.rows.map((row) => ({
              label: row.name,
              minutes: row.minutes,
              billable: row.billableMinutes,
              hours: row.hours,
            }))}
          />
        }
      />
    </ReportSection>
  );
}

function HoursTable(props: {
  head: string;
  rows: { label: string; minutes: number; billable: number; hours: number }[];
}) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{props.head}</th>
          <th scope="col" class="numeric">
            Minutes
          </th>
          <th scope="col" class="numeric">
            Billable minutes
          </th>
          <th scope="col" class="numeric">
            Hours
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr>
            <th scope="row">{row.label}</th>
            <td class="numeric">{row.minutes}</td>
            <td class="numeric">{row.billable}</td>
            <td class="numeric">{row.hours}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
