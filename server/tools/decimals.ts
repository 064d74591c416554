const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A decimal string ("1.5", "-0.125", "12") as an integer scaled by 10^digits, exactly; null
 * when it is not a plain decimal or has more than `digits` decimals.
 */
export function parseScaledDecimal(text: string, digits: number): number | null {
  const match = /^([+-]?)(\d+)(?:\.(\d*))?$|^([+-]?)\.(\d+)$/.exec(text.trim());
  if (!match) return null;
  const sign = match[1] ?? match[4] ?? "";
  const whole = match[2] ?? "0";
  const fraction = match[3] ?? match[5] ?? "";
  if (fraction.length > digits) return null;
  const scaled = BigInt(`${whole}${fraction.padEnd(digits, "0")}`) * (sign === "-" ? -1n : 1n);
  if (scaled > MAX || scaled < -MAX) return null;
  return Number(scaled);
}

/** An integer scaled by 10^digits written as a decimal: (1500, 3) → "1.5", (1200, 2) → "12". */
export function formatScaledDecimal(value: number, digits: number, minimumDigits = 0): string {
  const negative = value < 0;
  const text = String(Math.abs(value)).padStart(digits + 1, "0");
  const whole = digits === 0 ? text : text.slice(0, -digits);
  let fraction = digits === 0 ? "" : text.slice(-digits).replace(/0+$/, "");
  fraction = fraction.padEnd(minimumDigits, "0");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}
