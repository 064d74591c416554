import { eq } from "drizzle-orm";
import type { Invoice } from "../../../models/billing.ts";
import { organizations } from "../../../models/identity.ts";
import type { MailMessage } from "../../../models/mail.ts";
import { invoiceMail } from "../../../views/mail/invoice-mail.tsx";
import type { Queryable } from "../../db.ts";
import type { Logger } from "../../http/logger.ts";
import { type StoredAttachment, storeAttachment } from "../../mail/attachments.ts";
import { mailBrandingFor } from "../../mail/logo.ts";
import { queueMail } from "../../mail/outbox.ts";
import { invoicePdf } from "./documents.ts";

/** The invoice as a PDF stored in the data directory's files/, as the outbox attaches it. */
export async function storedInvoicePdf(
  ctx: { db: Queryable; orgId: string },
  invoiceId: string,
  dataDir: string,
): Promise<StoredAttachment> {
  const pdf = await invoicePdf(ctx, invoiceId);
  return storeAttachment(dataDir, { fileName: pdf.fileName, contentType: "application/pdf", bytes: pdf.bytes });
}

/**
 * Queues the e-mail to the invoice's customer with its PDF and the organisation's logo: the
 * invoice itself, or (with `daysOverdue`) a reminder. Replies go to `replyTo` when given.
 */
export function queueCustomerInvoiceMail(
  tx: Queryable,
  ctx: { orgId: string; log: Logger },
  input: {
    invoice: Invoice;
    customer: { name: string; email: string };
    pdf: StoredAttachment;
    replyTo: string | null;
    daysOverdue?: number;
  },
  now: Date,
): MailMessage {
  const organization = tx.select().from(organizations).where(eq(organizations.id, ctx.orgId)).get();
  const branding = mailBrandingFor(tx, ctx.orgId);
  const mail = invoiceMail({
    invoice: input.invoice,
    logoCid: branding.logoCid,
    customerName: input.customer.name,
    organizationName: organization?.name ?? "Opsbox",
    fileName: input.pdf.fileName,
    ...(input.daysOverdue === undefined ? {} : { daysOverdue: input.daysOverdue }),
  });
  return queueMail(
    tx,
    ctx.log,
    {
      orgId: ctx.orgId,
      to: input.customer.email,
      ...mail,
      ...(input.replyTo ? { replyTo: input.replyTo } : {}),
      template: input.daysOverdue === undefined ? "invoice" : "invoice_reminder",
      // A reminder of money owed is part of the business with the customer, like the invoice.
      kind: "essential",
      attachments: [input.pdf, ...branding.attachments],
    },
    now,
  );
}
