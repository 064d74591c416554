import { minorUnitDigits } from "../../tools/money.ts";

// Amounts as people type them, against integer minor units; server/tools/money.ts writes them.

/** "1299.5" or "1299,50" in `currency` → 129950; null when it is not a plain amount. */
export function parseAmount(text: string, currency: string): number | null {
  const match = /^(\d{1,13})(?:[.,](\d+))?$/.exec(text.trim().replace(/[\s_']/g, ""));
  if (!match) return null;
  const digits = minorUnitDigits(currency);
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}
