/** @jsxImportSource hono/jsx */

import { formatHours, formatMinutes } from "../../../../server/tools/durations.ts";
import type { WeekSummary } from "../../../../server/work/time/week.ts";
import { dayLabel } from "../../../partials/work/time/format.ts";

/** The week at a glance: one row per project, Monday to Sunday, with the day and week totals. */
export function WeekGrid(props: { week: WeekSummary; today: string }) {
  const { week } = props;
  return (
    <div class="overflow-auto">
      <table class="time-grid">
        <caption class="visually-hidden">Hours per project and day</caption>
        <thead>
          <tr>
            <th scope="col">Project</th>
            {week.days.map((day) => (
              <th scope="col" class={day === props.today ? "today" : undefined}>
                <span class="time-grid-weekday">{dayLabel(day).slice(0, 3)}</span> {dayLabel(day).slice(4)}
              </th>
            ))}
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {week.byProject.map((project) => (
            <tr>
              <th scope="row">{project.name}</th>
              {project.byDay.map((minutes, index) => (
                <td class={week.days[index] === props.today ? "today" : undefined}>
                  {minutes ? formatHours(minutes) : ""}
                </td>
              ))}
              <td class="total" title={formatMinutes(project.minutes)}>
                {formatHours(project.minutes)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Day total</th>
            {week.byDay.map((day) => (
              <td class={day.date === props.today ? "today" : undefined} title={formatMinutes(day.minutes)}>
                {day.minutes ? formatHours(day.minutes) : "–"}
              </td>
            ))}
            <td class="total" title={formatMinutes(week.minutes)}>
              <strong>{formatHours(week.minutes)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
