/** @jsxImportSource hono/jsx */
import type { PulseHours } from "../../../pages/work/pulse/types.ts";
import { PulseCard } from "./card.tsx";
import { hoursText, shortDate, weekdayOf } from "./format.ts";

const CHART_HEIGHT = 48;
const BAR_WIDTH = 22;
const GAP = 8;

/** My hours this week: the total and one bar per day, Monday to Sunday (SVG: no script, no inline style). */
export function HoursSection(props: { hours: PulseHours; today: string }) {
  const { hours } = props;
  const monday = new Date(`${hours.weekStart}T00:00:00Z`);
  const most = Math.max(8 * 60, ...hours.days.map((day) => day.minutes));
  const width = hours.days.length * (BAR_WIDTH + GAP) - GAP;
  return (
    <PulseCard
      id="pulse-hours"
      title="My hours this week"
      count={null}
      link={{ href: "/time", label: "My week" }}
      hasItems={true}
      empty=""
    >
      <p class="pulse-hours-total">
        <strong>{hoursText(hours.totalMinutes)}</strong> <small>since Monday {shortDate(monday, monday)}</small>
      </p>
      {hours.totalMinutes === 0 ? (
        <p class="pulse-empty">
          No time logged yet this week. <a href="/time">Log time</a> or start a timer on a task.
        </p>
      ) : null}
      <svg
        class="pulse-hours-chart"
        viewBox={`0 0 ${width} ${CHART_HEIGHT + 14}`}
        role="img"
        aria-label={hours.days.map((day) => `${weekdayOf(day.date)} ${hoursText(day.minutes)}`).join(", ")}
      >
        {hours.days.map((day, index) => {
          const height = day.minutes === 0 ? 1 : Math.max(2, Math.round((day.minutes / most) * CHART_HEIGHT));
          const x = index * (BAR_WIDTH + GAP);
          return (
            <g>
              <title>{`${weekdayOf(day.date)}: ${hoursText(day.minutes)}`}</title>
              <rect
                class={day.date === props.today ? "pulse-bar pulse-bar-today" : "pulse-bar"}
                x={x}
                y={CHART_HEIGHT - height}
                width={BAR_WIDTH}
                height={height}
                rx="2"
              />
              <text class="pulse-bar-label" x={x + BAR_WIDTH / 2} y={CHART_HEIGHT + 12} text-anchor="middle">
                {weekdayOf(day.date).slice(0, 2)}
              </text>
            </g>
          );
        })}
      </svg>
    </PulseCard>
  );
}
