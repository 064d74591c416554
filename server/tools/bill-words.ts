/**
 * Whether a document's text looks like an invoice or a bill, by its words, before a model is
 * asked to read it: a word that names the document ("invoice", "bill", "Rechnung", "facture",
 * "factura", "fattura") and a word of the money it asks for ("total", "amount due", "due",
 * "balance", "Summe", "Betrag", "montant", "importe"). Cheap enough to run on every document, so
 * the model never reads a manual.
 */
const NAMING = /\b(invoice|bill|rechnung|facture|factura|fattura|tax invoice)\b/i;
const ASKING = /\b(total|amount due|due|balance|summe|gesamt|betrag|montant|importe|totale)\b/i;

export function looksLikeBill(text: string): { bill: boolean; reason: string } {
  if (!NAMING.test(text)) return { bill: false, reason: "no word like “invoice” or “bill”" };
  if (!ASKING.test(text)) return { bill: false, reason: "no word like “total” or “due”" };
  return { bill: true, reason: "it names itself an invoice and states what is due" };
}
