/** Amounts as people type and read them, against integer minor units. */

/** How many minor-unit digits a currency has (2 for EUR, 0 for JPY, 3 for KWD). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "1299.5" or "1299,50" in `currency` → 129950; null when it is not a plain amount. */
export function parseAmount(text: string, currency: string): number | null {
  const match = /^(\d{1,13})(?:[.,](\d+))?$/.exec(text.trim().replace(/[\s_']/g, ""));
  if (!match) return null;
  const digits = minorDigits(currency);
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** 129950 EUR → "€1,299.50". */
export function formatAmount(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).format(amount / 10 ** digits);
  } catch {
    return `${(amount / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}
