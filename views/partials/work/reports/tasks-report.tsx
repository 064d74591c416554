/** @jsxImportSource hono/jsx */

import { formatDay } from "../../../../server/tools/days.ts";
import type { TasksCompletedRow } from "../../../../server/work/reports/tasks-completed.ts";
import { BarChart } from "../../../components/chart.tsx";
import { ReportSection } from "./report-section.tsx";

/** Tasks done per ISO week, oldest week first. */
export function TasksCompletedReport(props: { rows: TasksCompletedRow[]; csvHref: string }) {
  const total = props.rows.reduce((sum, row) => sum + row.count, 0);
  const first = props.rows[0];
  return (
    <ReportSection
      id="tasks-completed"
      title="Tasks completed per week"
      summary={`${total} ${total === 1 ? "task" : "tasks"} completed in the last ${props.rows.length} ${props.rows.length === 1 ? "week" : "weeks"}${first ? `, since ${formatDay(first.weekStart)}` : ""}.`}
      csvHref={props.csvHref}
      empty={total === 0}
      emptyText="No task was completed in these weeks. A task counts in the week it moves to Done."
    >
      <BarChart
        id="tasks-completed-chart"
        title="Tasks completed per week"
        description={`Tasks moved to done per ISO week over the last ${props.rows.length} weeks, oldest first; ${total} in all.`}
        categories={props.rows.map((row) => row.week)}
        series={[{ name: "Tasks", values: props.rows.map((row) => row.count) }]}
        xLabel="ISO week"
        yLabel="Tasks completed"
        integers
        dataTable={
          <table>
            <thead>
              <tr>
                <th scope="col">Week</th>
                <th scope="col">Starts</th>
                <th scope="col" class="numeric">
                  Tasks completed
                </th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr>
                  <th scope="row">{row.week}</th>
                  <td>{formatDay(row.weekStart)}</td>
                  <td class="numeric">{row.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
    </ReportSection>
  );
}
