import { and, eq } from "drizzle-orm";
import { type InvoiceSettings, invoiceSettings, invoices } from "../../../models/billing.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { DbTransaction, Queryable } from "../../db.ts";
import { assertIfMatch, etagOf } from "../../http/etag.ts";
import type { InvoiceSettingsInput } from "./schemas.ts";

export type InvoiceSettingsJson = {
  prefix: string;
  paymentTermDays: number;
  defaultCurrency: string;
  defaultTaxRate: number;
  /** The number the next invoice gets (read-only: numbers are never reused). */
  nextNumber: number;
  /** What the next invoice will be called. */
  nextInvoiceNumber: string;
};

export function invoiceSettingsJson(settings: InvoiceSettings): InvoiceSettingsJson {
  return {
    prefix: settings.prefix,
    paymentTermDays: settings.paymentTermDays,
    defaultCurrency: settings.defaultCurrency,
    defaultTaxRate: settings.defaultTaxRate,
    nextNumber: settings.nextNumber,
    nextInvoiceNumber: formatInvoiceNumber(settings.prefix, settings.nextNumber),
  };
}

export function invoiceSettingsEtag(settings: InvoiceSettings): string {
  return etagOf(invoiceSettingsJson(settings));
}

/** Prefix then the sequence number padded to four digits: ("INV-", 42) → "INV-0042"; 12345 stays whole. */
export function formatInvoiceNumber(prefix: string, sequence: number): string {
  return `${prefix}${String(sequence).padStart(4, "0")}`;
}

/** The organisation's settings; the defaults until someone saves them (the row is made on first use). */
export function readInvoiceSettings(db: Queryable, orgId: string): InvoiceSettings {
  const found = db.select().from(invoiceSettings).where(eq(invoiceSettings.orgId, orgId)).get();
  if (found) return found;
  return db.insert(invoiceSettings).values({ orgId }).onConflictDoNothing().returning().get() ?? readAgain(db, orgId);
}

function readAgain(db: Queryable, orgId: string): InvoiceSettings {
  const settings = db.select().from(invoiceSettings).where(eq(invoiceSettings.orgId, orgId)).get();
  if (!settings) throw new Error(`invoice settings of ${orgId} could not be read back`);
  return settings;
}

/** Saves prefix, payment term, default currency and tax rate; 412 on a stale `ifMatch`. */
export function updateInvoiceSettings(
  ctx: ServiceContext,
  input: InvoiceSettingsInput,
  ifMatch?: string,
): InvoiceSettings {
  return ctx.db.transaction((tx) => {
    const current = readInvoiceSettings(tx, ctx.orgId);
    assertIfMatch(ifMatch, invoiceSettingsEtag(current));
    const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
    if (Object.keys(changes).length === 0) return current;
    return tx.update(invoiceSettings).set(changes).where(eq(invoiceSettings.orgId, ctx.orgId)).returning().get();
  });
}

/**
 * Takes the next invoice number inside the creating transaction, so two creates can never
 * share one and a rolled-back create gives its number back. The counter only grows: deleted
 * drafts leave gaps rather than reused numbers. When a prefix change makes the next number
 * collide with an older invoice (switching back to an old prefix), the counter skips ahead.
 */
export function takeInvoiceNumber(tx: DbTransaction, orgId: string): string {
  const settings = readInvoiceSettings(tx, orgId);
  let sequence = settings.nextNumber;
  let number = formatInvoiceNumber(settings.prefix, sequence);
  while (
    tx
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.orgId, orgId), eq(invoices.number, number)))
      .get()
  ) {
    sequence += 1;
    number = formatInvoiceNumber(settings.prefix, sequence);
  }
  tx.update(invoiceSettings)
    .set({ nextNumber: sequence + 1 })
    .where(eq(invoiceSettings.orgId, orgId))
    .run();
  return number;
}
