import { formatScaledDecimal, parseScaledDecimal } from "../../tools/decimals.ts";
/**
 * Invoice arithmetic: exact, in integers, with ONE rounding rule.
 *
 * Inputs are integers: a quantity in thousandths (`quantityMilli`, 1.5 → 1500), a unit price
 * in the currency's minor units (cents; negative for a discount) and a tax rate in basis
 * points (2000 = 20 %). Products are taken in BigInt, so nothing is lost above 2^53.
 *
 * The rule: a division is rounded **half away from zero** to a whole minor unit
 * (2.5 → 3, −2.5 → −3, 2.4999 → 2), and it is applied exactly twice per line, never to sums:
 *
 *   line amount = round(quantityMilli × unitPrice / 1000)
 *   line tax    = round(line amount × taxRate / 10000)
 *   subtotal    = Σ line amounts
 *   tax         = Σ line taxes
 *   total       = subtotal + tax
 *
 * Because each line is rounded once and the sums are exact, the printed lines always add up
 * to the printed totals. Results that would not fit a safe JavaScript integer (|x| > 2^53 − 1)
 * are refused (`TotalsOverflow`) rather than stored imprecisely.
 */

export type LineInput = { quantityMilli: number; unitPrice: number; taxRate: number };
export type LineTotals = { amount: number; tax: number };
export type InvoiceTotals = { lines: LineTotals[]; subtotal: number; tax: number; total: number };

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** A result left the range of safe integers; `line` is the offending line's index, or null for a sum. */
export class TotalsOverflow extends Error {
  override name = "TotalsOverflow";
  constructor(readonly line: number | null) {
    super(line === null ? "The invoice total is too large." : `Line ${line + 1} is too large.`);
  }
}

/** `numerator / denominator` (denominator > 0) rounded half away from zero. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError("denominator must be positive");
  const quotient = numerator / denominator; // truncates towards zero
  const remainder = numerator % denominator; // has the sign of the numerator
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice < denominator) return quotient;
  return numerator < 0n ? quotient - 1n : quotient + 1n;
}

function safe(value: bigint, line: number | null): number {
  if (value > MAX || value < -MAX) throw new TotalsOverflow(line);
  return Number(value);
}

/** One line's amount and tax, each rounded once. */
export function lineTotals(line: LineInput, index = 0): LineTotals {
  const amount = divideRounded(BigInt(line.quantityMilli) * BigInt(line.unitPrice), 1000n);
  const tax = divideRounded(amount * BigInt(line.taxRate), 10000n);
  return { amount: safe(amount, index), tax: safe(tax, index) };
}

/** Every line's amount and tax, and the invoice's subtotal, tax and total. */
export function invoiceTotals(lines: readonly LineInput[]): InvoiceTotals {
  let subtotal = 0n;
  let tax = 0n;
  const computed = lines.map((line, index) => {
    const result = lineTotals(line, index);
    subtotal += BigInt(result.amount);
    tax += BigInt(result.tax);
    return result;
  });
  return {
    lines: computed,
    subtotal: safe(subtotal, null),
    tax: safe(tax, null),
    total: safe(subtotal + tax, null),
  };
}

/** A JSON quantity (up to three decimals) in thousandths; null when it has more decimals. */
export function quantityToMilli(quantity: number): number | null {
  if (!Number.isFinite(quantity)) return null;
  // The float's shortest decimal text ("1.005", not 1.00499…), so 1.005 is exactly 1005 thousandths.
  const text = String(quantity);
  return /e/i.test(text) ? null : parseScaledDecimal(text, 3);
}

/** Thousandths back to the JSON number: 1500 → 1.5. */
export function milliToQuantity(milli: number): number {
  return Number(formatScaledDecimal(milli, 3));
}
