import { describe, expect, test } from "bun:test";
import { formatMoney, isCurrency, minorUnitDigits } from "./money.ts";

describe("formatMoney", () => {
  test("writes each currency with its own symbol and minor digits", () => {
    expect(formatMoney(123450, "USD")).toBe("$1,234.50");
    expect(formatMoney(123456, "EUR")).toBe("€1,234.56");
    expect(formatMoney(123450, "GBP")).toBe("£1,234.50");
    expect(formatMoney(1234, "JPY")).toBe("¥1,234");
    expect(formatMoney(1234567, "KWD")).toBe("KWD\u00a01,234.567");
    // A code without a symbol of its own is followed by a no-break space.
    expect(formatMoney(123450, "PLN")).toBe("PLN\u00a01,234.50");
  });

  test("negative, tiny and huge amounts are exact", () => {
    expect(formatMoney(-2000, "EUR")).toBe("-€20.00");
    expect(formatMoney(1, "USD")).toBe("$0.01");
    expect(formatMoney(0, "USD")).toBe("$0.00");
    expect(formatMoney(Number.MAX_SAFE_INTEGER, "USD")).toBe("$90,071,992,547,409.91");
  });

  test("a code Intl does not know reads as a plain amount and the code", () => {
    expect(isCurrency("XYZ")).toBe(false);
    expect(formatMoney(123450, "XY")).toBe("1,234.50 XY");
    expect(minorUnitDigits("XY")).toBe(2);
  });
});
