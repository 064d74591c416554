/** @jsxImportSource hono/jsx */

/**
 * Ticks of a value axis that starts at zero: about `count` steps of 1, 2, 2.5 or 5 times a power
 * of ten (whole steps for `integers`), the last one at or above `max`. A max of zero gets 0 to 1.
 */
export function niceTicks(max: number, options: { count?: number; integers?: boolean } = {}): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / (options.count ?? 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 2.5, 5, 10]
      .map((factor) => factor * power)
      .filter((candidate) => !options.integers || Number.isInteger(candidate))
      .find((candidate) => candidate >= rough) ?? Math.ceil(rough);
  const steps = Math.max(1, Math.ceil(max / step - 1e-9));
  const ticks = Array.from({ length: steps + 1 }, (_, index) => roundTo(index * step, step));
  return ticks;
}

// 0.1 + 0.2 must print as 0.3 on an axis.
function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(decimals));
}

/** A label cut to `max` characters with an ellipsis (the full text stays in the bar's <title>). */
export function shortLabel(label: string, max = 16): string {
  const chars = Array.from(label);
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join("")}…`;
}
