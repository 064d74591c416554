/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import { niceTicks, shortLabel } from "./chart-scale.tsx";

export type ChartSeries = { name: string; values: number[] };

export type BarChartProps = {
  /** Unique on the page: prefixes the ids that tie the SVG to its title and description. */
  id: string;
  title: string;
  /** What the chart shows, in a sentence: the SVG's <desc> for screen readers. */
  description: string;
  /** The bars' labels along the bottom. */
  categories: string[];
  /** One or more series; each has a value per category (grouped bars). */
  series: ChartSeries[];
  xLabel: string;
  yLabel: string;
  /** Values as people read them, in the hover titles and the data table (per series: currencies differ). */
  format?: (value: number, seriesIndex: number) => string;
  /** Values on the axis, shorter; defaults to `format`. */
  formatTick?: (value: number) => string;
  /** Counts: the axis steps by whole numbers. */
  integers?: boolean;
  /** A fuller table of the same data to show under the chart instead of the chart's own figures. */
  dataTable?: Child;
};

const WIDTH = 560;
const HEIGHT = 300;
const MARGIN = { top: 16, right: 12, left: 64 };

/**
 * A bar chart drawn on the server as SVG: no script, no chart library. Text and axes use
 * currentColor and bars CSS variables (static/app.css), so it follows light and dark mode.
 * Each bar's value shows on hover through its <title>; the same figures follow in a table.
 */
export function BarChart(props: BarChartProps) {
  const format = props.format ?? ((value: number) => String(value));
  const formatTick = props.formatTick ?? ((value: number) => format(value, 0));
  const count = props.categories.length;
  const longest = Math.max(0, ...props.categories.map((label) => Array.from(shortLabel(label)).length));
  const slanted = count > 8 || longest * 7 > (WIDTH - MARGIN.left - MARGIN.right) / Math.max(count, 1);
  const bottom = slanted ? 40 + Math.min(longest, 16) * 5 : 48;
  const plot = { width: WIDTH - MARGIN.left - MARGIN.right, height: HEIGHT - MARGIN.top - bottom };
  const max = Math.max(0, ...props.series.flatMap((series) => series.values));
  const ticks = niceTicks(max, { integers: props.integers ?? false });
  const top = ticks.at(-1) ?? 1;
  const y = (value: number) => MARGIN.top + plot.height - (value / top) * plot.height;
  const band = plot.width / Math.max(count, 1);
  const barWidth = (band * 0.7) / Math.max(props.series.length, 1);
  const titleId = `${props.id}-title`;
  const descId = `${props.id}-desc`;
  return (
    <figure class="chart" id={props.id}>
      <svg
        class="chart-svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={titleId}>{props.title}</title>
        <desc id={descId}>{props.description}</desc>
        <g class="chart-grid">
          {ticks.map((tick) => (
            <g>
              <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} stroke="currentColor" />
              <text x={MARGIN.left - 6} y={y(tick)} dy="0.32em" text-anchor="end" fill="currentColor">
                {formatTick(tick)}
              </text>
            </g>
          ))}
        </g>
        <g class="chart-bars">
          {props.categories.map((category, index) =>
            props.series.map((series, seriesIndex) => {
              const value = series.values[index] ?? 0;
              const x = MARGIN.left + band * index + band * 0.15 + barWidth * seriesIndex;
              const label = props.series.length > 1 ? `${category}, ${series.name}` : category;
              return (
                <rect
                  class={`chart-bar chart-series-${seriesIndex % 4}`}
                  x={x}
                  y={y(value)}
                  width={Math.max(barWidth - 1, 1)}
                  height={Math.max(MARGIN.top + plot.height - y(value), value > 0 ? 1 : 0)}
                >
                  <title>{`${label}: ${format(value, seriesIndex)}`}</title>
                </rect>
              );
            }),
          )}
        </g>
        <line
          class="chart-axis"
          x1={MARGIN.left}
          x2={WIDTH - MARGIN.right}
          y1={MARGIN.top + plot.height}
          y2={MARGIN.top + plot.height}
          stroke="currentColor"
        />
        <g class="chart-categories">
          {props.categories.map((category, index) => {
            const x = MARGIN.left + band * index + band / 2;
            const ty = MARGIN.top + plot.height + 16;
            return slanted ? (
              <text x={x} y={ty} text-anchor="end" transform={`rotate(-40 ${x} ${ty})`} fill="currentColor">
                {shortLabel(category)}
              </text>
            ) : (
              <text x={x} y={ty} text-anchor="middle" fill="currentColor">
                {shortLabel(category)}
              </text>
            );
          })}
        </g>
        <text
          class="chart-axis-label"
          x={MARGIN.left + plot.width / 2}
          y={HEIGHT - 6}
          text-anchor="middle"
          fill="currentColor"
        >
          {props.xLabel}
        </text>
        <text
          class="chart-axis-label"
          x={-(MARGIN.top + plot.height / 2)}
          y={14}
          transform="rotate(-90)"
          text-anchor="middle"
          fill="currentColor"
        >
          {props.yLabel}
        </text>
      </svg>
      {props.series.length > 1 ? <Legend series={props.series} /> : null}
      <details class="chart-data">
        <summary>Show the figures</summary>
        <div class="overflow-auto">{props.dataTable ?? <ChartTable {...props} format={format} />}</div>
      </details>
    </figure>
  );
}

function Legend(props: { series: ChartSeries[] }) {
  return (
    <ul class="chart-legend" aria-hidden="true">
      {props.series.map((series, index) => (
        <li>
          <span class={`chart-swatch chart-series-${index % 4}`} />
          {series.name}
        </li>
      ))}
    </ul>
  );
}

/** The chart's own figures as a table: for screen readers, copying and exact values. */
function ChartTable(props: BarChartProps & { format: (value: number, seriesIndex: number) => string }) {
  return (
    <table>
      <caption>{props.title}</caption>
      <thead>
        <tr>
          <th scope="col">{props.xLabel}</th>
          {props.series.map((series) => (
            <th scope="col" class="numeric">
              {props.series.length > 1 ? series.name : props.yLabel}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.categories.map((category, index) => (
          <tr>
            <th scope="row">{category}</th>
            {props.series.map((series, seriesIndex) => (
              <td class="numeric">{props.format(series.values[index] ?? 0, seriesIndex)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
