import { formatScaledDecimal, parseScaledDecimal } from "./decimals.ts";

/**
 * Money as people read it, from integer minor units and an ISO 4217 code: the one formatter of
 * the invoices, their PDF, approvals, reports and the Pulse, so an amount reads the same on each
 * ("$1,234.50", never "US$1,234.50" in one place and "$1,234.50" in another). Pure: imports nothing.
 */

const supported = new Set(Intl.supportedValuesOf("currency"));

/** Whether `code` is an ISO 4217 currency this runtime knows. */
export function isCurrency(code: string): boolean {
  return supported.has(code);
}

// Codes come from stored rows and forms: a bound keeps odd input from growing the caches.
const MAX_CACHED = 1_000;
const formats = new Map<string, Intl.NumberFormat | null>();

/** The currency's format (English, symbol as the currency's own country writes it); null for a code Intl refuses. */
function formatOf(currency: string): Intl.NumberFormat | null {
  let format = formats.get(currency);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat("en", { style: "currency", currency });
    } catch {
      format = null;
    }
    if (formats.size >= MAX_CACHED) formats.clear();
    formats.set(currency, format);
  }
  return format;
}

/** Digits of the currency's minor unit: 2 for EUR, 0 for JPY, 3 for KWD (2 for a code Intl does not know). */
export function minorUnitDigits(currency: string): number {
  let digits = minorDigits.get(currency);
  if (digits === undefined) {
    // resolvedOptions() builds a new object each call: a list page of amounts asked it per row.
    digits = formatOf(currency)?.resolvedOptions().maximumFractionDigits ?? 2;
    if (minorDigits.size >= MAX_CACHED) minorDigits.clear();
    minorDigits.set(currency, digits);
  }
  return digits;
}

const minorDigits = new Map<string, number>();

/** Minor units as an exact decimal string with every minor digit: (-123450, 2) → "-1234.50". */
function decimalOf(minor: number, digits: number): string {
  const text = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, "0");
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const sign = minor < 0 ? "-" : "";
  return digits === 0 ? `${sign}${whole}` : `${sign}${whole}.${text.slice(-digits)}`;
}

/**
 * Minor units as money text: (123450, "USD") → "$1,234.50", (123456, "EUR") → "€1,234.56",
 * (1234, "JPY") → "¥1,234". Exact for any safe integer; an unknown code reads "1,234.50 XYZ".
 */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  // A decimal string, not a float, so large amounts print every digit exactly.
  const decimal = decimalOf(minor, digits) as Intl.StringNumericLiteral;
  const format = formatOf(currency);
  if (format) return format.format(decimal);
  const plain = new Intl.NumberFormat("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${plain.format(decimal)} ${currency}`;
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
