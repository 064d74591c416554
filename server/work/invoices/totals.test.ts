import { describe, expect, test } from "bun:test";
import { formatScaledDecimal, parseScaledDecimal } from "../../tools/decimals.ts";
import {
  divideRounded,
  invoiceTotals,
  lineTotals,
  milliToQuantity,
  quantityToMilli,
  TotalsOverflow,
} from "./totals.ts";

describe("divideRounded: half away from zero", () => {
  const cases: [bigint, bigint, bigint][] = [
    [25n, 10n, 3n],
    [-25n, 10n, -3n],
    [24n, 10n, 2n],
    [-24n, 10n, -2n],
    [26n, 10n, 3n],
    [15n, 10n, 2n],
    [5n, 10n, 1n],
    [-5n, 10n, -1n],
    [4n, 10n, 0n],
    [0n, 10n, 0n],
    [1500n, 1000n, 2n],
    [2500n, 1000n, 3n],
    [-1500n, 1000n, -2n],
    [4999n, 10000n, 0n],
    [5000n, 10000n, 1n],
  ];
  for (const [numerator, denominator, expected] of cases) {
    test(`${numerator} / ${denominator} = ${expected}`, () => {
      expect(divideRounded(numerator, denominator)).toBe(expected);
    });
  }
});

describe("one line: amount = round(quantity × unit price), tax = round(amount × rate)", () => {
  test("whole quantities need no rounding", () => {
    expect(lineTotals({ quantityMilli: 3000, unitPrice: 1999, taxRate: 2000 })).toEqual({ amount: 5997, tax: 1199 });
  });

  test("an amount of exactly .5 of a minor unit rounds up", () => {
    // 1.5 × 1 cent = 1.5 cents → 2
    expect(lineTotals({ quantityMilli: 1500, unitPrice: 1, taxRate: 0 })).toEqual({ amount: 2, tax: 0 });
    // 0.5 × 5 cents = 2.5 cents → 3
    expect(lineTotals({ quantityMilli: 500, unitPrice: 5, taxRate: 0 }).amount).toBe(3);
  });

  test("a tax of exactly .5 of a minor unit rounds up", () => {
    // 250 × 2 % = 5; 25 × 10 % = 2.5 → 3; 15 × 10 % = 1.5 → 2
    expect(lineTotals({ quantityMilli: 1000, unitPrice: 25, taxRate: 1000 }).tax).toBe(3);
    expect(lineTotals({ quantityMilli: 1000, unitPrice: 15, taxRate: 1000 }).tax).toBe(2);
    expect(lineTotals({ quantityMilli: 1000, unitPrice: 14, taxRate: 1000 }).tax).toBe(1);
  });

  test("a negative line (a discount) rounds away from zero too, symmetrically", () => {
    expect(lineTotals({ quantityMilli: 1500, unitPrice: -1, taxRate: 0 })).toEqual({ amount: -2, tax: 0 });
    expect(lineTotals({ quantityMilli: 1000, unitPrice: -25, taxRate: 1000 })).toEqual({ amount: -25, tax: -3 });
    expect(lineTotals({ quantityMilli: 1000, unitPrice: -1000, taxRate: 2000 })).toEqual({ amount: -1000, tax: -200 });
  });

  test("thousandths of a quantity: 0.333 h at 90.00/h", () => {
    // 0.333 × 9000 = 2997 exactly; tax 20 % = 599.4 → 599
    expect(lineTotals({ quantityMilli: 333, unitPrice: 9000, taxRate: 2000 })).toEqual({ amount: 2997, tax: 599 });
    // 1.234 × 1234 = 1522.756 → 1523; 7 % of 1523 = 106.61 → 107
    expect(lineTotals({ quantityMilli: 1234, unitPrice: 1234, taxRate: 700 })).toEqual({ amount: 1523, tax: 107 });
  });

  test("products beyond 2^53 stay exact (BigInt)", () => {
    // 999,999,999.999 × 9,000,000 = 8,999,999,999,991,000 (> 2^53 as thousandths × price)
    const line = lineTotals({ quantityMilli: 999_999_999_999, unitPrice: 9_000_000, taxRate: 0 });
    expect(line.amount).toBe(8_999_999_999_991_000);
    // 123,456,789.123 units at 123.45: the exact product has .435 of a minor unit
    const odd = lineTotals({ quantityMilli: 123_456_789_123, unitPrice: 12_345, taxRate: 1 });
    // 123456789123 × 12345 = 1,524,074,061,723,435 thousandths → 1,524,074,061,723.435 → …723
    expect(odd.amount).toBe(1_524_074_061_723);
    // × 1 bp = 152,407,406.1723 → 152,407,406
    expect(odd.tax).toBe(152_407_406);
  });

  test("an amount beyond 2^53 − 1 is refused, naming the line", () => {
    expect(() => lineTotals({ quantityMilli: 1_000_000_000_000, unitPrice: 10_000_000_000, taxRate: 0 }, 4)).toThrow(
      TotalsOverflow,
    );
    try {
      lineTotals({ quantityMilli: 1_000_000_000_000, unitPrice: 10_000_000_000, taxRate: 0 }, 4);
    } catch (error) {
      expect((error as TotalsOverflow).line).toBe(4);
    }
  });
});

describe("an invoice: sums of the rounded lines", () => {
  test("subtotal, tax and total add up to the rounded lines, never re-rounded", () => {
    const totals = invoiceTotals([
      { quantityMilli: 500, unitPrice: 5, taxRate: 1000 }, // 2.5 → 3; 0.3 → 0
      { quantityMilli: 500, unitPrice: 5, taxRate: 1000 }, // again 3, 0
      { quantityMilli: 1000, unitPrice: 25, taxRate: 1000 }, // 25; 2.5 → 3
    ]);
    expect(totals.lines).toEqual([
      { amount: 3, tax: 0 },
      { amount: 3, tax: 0 },
      { amount: 25, tax: 3 },
    ]);
    expect(totals).toMatchObject({ subtotal: 31, tax: 3, total: 34 });
  });

  test("a discount line reduces subtotal and tax", () => {
    const totals = invoiceTotals([
      { quantityMilli: 10_000, unitPrice: 10_000, taxRate: 2000 },
      { quantityMilli: 1000, unitPrice: -5_000, taxRate: 2000 },
    ]);
    expect(totals).toMatchObject({ subtotal: 95_000, tax: 19_000, total: 114_000 });
  });

  test("no lines: all zero", () => {
    expect(invoiceTotals([])).toEqual({ lines: [], subtotal: 0, tax: 0, total: 0 });
  });

  test("large lines sum exactly up to the safe limit and are refused beyond it", () => {
    const big = { quantityMilli: 1000, unitPrice: 4_000_000_000_000_000, taxRate: 0 };
    expect(invoiceTotals([big, big]).total).toBe(8_000_000_000_000_000);
    expect(() => invoiceTotals([big, big, big])).toThrow(TotalsOverflow);
    expect(() => invoiceTotals([{ ...big, taxRate: 10000 }, big])).toThrow(TotalsOverflow);
  });
});

describe("decimal text", () => {
  test("parses exactly, refusing extra decimals and non-numbers", () => {
    expect(parseScaledDecimal("1.5", 3)).toBe(1500);
    expect(parseScaledDecimal("-0.125", 3)).toBe(-125);
    expect(parseScaledDecimal(".5", 2)).toBe(50);
    expect(parseScaledDecimal("12", 2)).toBe(1200);
    expect(parseScaledDecimal("12.", 2)).toBe(1200);
    expect(parseScaledDecimal("0.1234", 3)).toBeNull();
    expect(parseScaledDecimal("1e3", 3)).toBeNull();
    expect(parseScaledDecimal("abc", 3)).toBeNull();
    expect(parseScaledDecimal("", 3)).toBeNull();
    expect(parseScaledDecimal("5", 0)).toBe(5);
    expect(parseScaledDecimal("5.1", 0)).toBeNull();
  });

  test("formats back without trailing zeros unless asked", () => {
    expect(formatScaledDecimal(1500, 3)).toBe("1.5");
    expect(formatScaledDecimal(-125, 3)).toBe("-0.125");
    expect(formatScaledDecimal(1200, 2)).toBe("12");
    expect(formatScaledDecimal(1200, 2, 2)).toBe("12.00");
    expect(formatScaledDecimal(5, 2, 2)).toBe("0.05");
    expect(formatScaledDecimal(7, 0)).toBe("7");
  });

  test("JSON quantities up to three decimals map to thousandths exactly", () => {
    expect(quantityToMilli(1.005)).toBe(1005);
    expect(quantityToMilli(0.1)).toBe(100);
    expect(quantityToMilli(2)).toBe(2000);
    expect(quantityToMilli(1.0005)).toBeNull();
    expect(quantityToMilli(1e21)).toBeNull();
    expect(milliToQuantity(1005)).toBe(1.005);
    expect(milliToQuantity(2000)).toBe(2);
  });
});
