import { minorUnitDigits } from "../../tools/money.ts";
import { formatScaledDecimal, parseScaledDecimal } from "./totals.ts";

/** Money helpers of invoices' forms and rates (no database); formatting lives in server/tools/money.ts. */

// Still answered here for the callers that import them from invoices (the invoice reader).
export { formatMoney, isCurrency, minorUnitDigits } from "../../tools/money.ts";

/** Minor units as a plain decimal for a form field: (1250, "EUR") → "12.50". */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return formatScaledDecimal(minor, digits, digits);
}

/** A typed amount ("12.5") in minor units of `currency`, or null when it is not one. */
export function decimalToMinor(text: string, currency: string): number | null {
  return parseScaledDecimal(text, minorUnitDigits(currency));
}

/** Basis points as a percentage text: 2000 → "20", 750 → "7.5". */
export function basisPointsToPercent(basisPoints: number): string {
  return formatScaledDecimal(basisPoints, 2);
}

/** A typed percentage ("7.5") in basis points, or null. */
export function percentToBasisPoints(text: string): number | null {
  return parseScaledDecimal(text, 2);
}
