/** @jsxImportSource hono/jsx */
import type { Invoice } from "../../models/billing.ts";
import { formatMoney } from "../../server/tools/money.ts";
import { MailLayout, MailParagraph, mailHtml, mailStyles, mailText, type RenderedMail } from "./layout.tsx";

export type InvoiceMailProps = {
  invoice: Pick<Invoice, "number" | "issueDate" | "dueDate" | "subtotal" | "tax" | "total" | "currency">;
  customerName: string;
  organizationName: string;
  /** The attached PDF's file name. */
  fileName: string;
  logoCid?: string | null;
  /** A reminder about an unpaid invoice, sent this many days after its due date. */
  daysOverdue?: number;
};

/** The e-mail to a customer that carries an invoice PDF: the invoice itself, or a reminder that it is unpaid. */
export function invoiceMail(props: InvoiceMailProps): RenderedMail {
  const { invoice } = props;
  const reminder = props.daysOverdue !== undefined;
  const subject = reminder
    ? `Reminder: invoice ${invoice.number} from ${props.organizationName} is ${props.daysOverdue} days overdue`
    : `Invoice ${invoice.number} from ${props.organizationName}`;
  const intro = reminder
    ? `Our records show that invoice ${invoice.number} from ${props.organizationName}, due on ${invoice.dueDate}, is still unpaid. A copy is attached (${props.fileName}).`
    : `Please find attached invoice ${invoice.number} from ${props.organizationName} (${props.fileName}).`;
  const rows: [string, string][] = [
    ["Issue date", invoice.issueDate],
    ["Due date", invoice.dueDate],
    ["Subtotal", formatMoney(invoice.subtotal, invoice.currency)],
    ["Tax", formatMoney(invoice.tax, invoice.currency)],
    ["Total", formatMoney(invoice.total, invoice.currency)],
  ];
  const closing = reminder
    ? "Please pay it as soon as possible, quoting the invoice number. If you have paid it already, thank you, and please ignore this reminder."
    : "Please pay by the due date, quoting the invoice number.";
  const html = (
    <MailLayout organization={props.organizationName} title={subject} logoCid={props.logoCid}>
      <MailParagraph>Dear {props.customerName},</MailParagraph>
      <MailParagraph>{intro}</MailParagraph>
      <table role="presentation" style={mailStyles.table}>
        {rows.map(([label, value]) => (
          <tr>
            <td class="om-muted" style={`${mailStyles.cell};color:#57606a`}>
              {label}
            </td>
            <td class="om-text" style={`${mailStyles.cell};${label === "Total" ? "font-weight:600" : ""}`}>
              {value}
            </td>
          </tr>
        ))}
      </table>
      <MailParagraph>{closing}</MailParagraph>
      <MailParagraph>{props.organizationName}</MailParagraph>
    </MailLayout>
  );
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const table = rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join("\n");
  return {
    subject,
    text: mailText(props.organizationName, [
      `Dear ${props.customerName},`,
      intro,
      table,
      closing,
      props.organizationName,
    ]),
    html: mailHtml(html),
  };
}
