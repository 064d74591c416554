import { describe, expect, test } from "bun:test";
import { looksLikeBill } from "./bill-words.ts";

describe("looksLikeBill", () => {
  test("an invoice with a total is a bill; a manual, or an invoice mention without money, is not", () => {
    expect(looksLikeBill("INVOICE No. 7\nTotal EUR 274.89").bill).toBe(true);
    expect(looksLikeBill("Rechnung Nr. 12 … Gesamtbetrag … Summe 10,00 €").bill).toBe(true);
    expect(looksLikeBill("Boiler manual. Check the pressure every month.").bill).toBe(false);
    expect(looksLikeBill("Send the invoice to accounting.")).toEqual({
      bill: false,
      reason: "no word like “total” or “due”",
    });
    expect(looksLikeBill("billing address").bill).toBe(false);
  });
});
