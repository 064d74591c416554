import { formatScaledDecimal, parseScaledDecimal } from "./totals.ts";

/** Pure money helpers shared by the API, the PDF and the console views (no database). */

const supported = new Set(Intl.supportedValuesOf("currency"));

/** Whether `code` is an ISO 4217 currency this runtime knows. */
export function isCurrency(code: string): boolean {
  return supported.has(code);
}

const exponents = new Map<string, number>();

/** Digits of the currency's minor unit: 2 for EUR, 0 for JPY, 3 for KWD. */
export function minorUnitDigits(currency: string): number {
  let digits = exponents.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, digits);
  }
  return digits;
}

/** Minor units as money text: (123456, "EUR") → "€1,234.56", (1234, "JPY") → "¥1,234". Exact for any safe integer. */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const format = new Intl.NumberFormat("en", {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // A decimal string, not a float, so large amounts print every digit exactly.
  return format.format(formatScaledDecimal(minor, digits) as unknown as number);
}

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
