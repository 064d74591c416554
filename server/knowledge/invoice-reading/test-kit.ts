/** An invoice's text as a document holds it, for the tests that read invoices with the test model. */
export const INVOICE_TEXT = `INVOICE No. 2026-117
From: Boiler Service GmbH, Hauptstraße 1, Berlin
Bill to: Acme Ltd
Date: 2026-03-02   Due: 2026-04-01
Annual boiler service   1 x 180.00 EUR   180.00
Replacement valve       2 x 25.50 EUR     51.00
Subtotal 231.00  VAT 19% 43.89  Total EUR 274.89`;
