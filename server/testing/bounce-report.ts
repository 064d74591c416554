/** A bounce report (RFC 3464) as Postfix writes it, for the tests of bounce handling. */
export function rawBounceReport(input: {
  messageId: string;
  originalMessageId: string;
  recipient: string;
  action?: string;
  status?: string;
  to?: string;
}): string {
  const status = input.status ?? "5.1.1";
  return [
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>",
    `To: ${input.to ?? "office@acme.test"}`,
    "Subject: Undelivered Mail Returned to Sender",
    `Message-ID: <${input.messageId}>`,
    "Date: Tue, 03 Mar 2026 10:05:00 +0000",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"',
    "",
    "--dsn-boundary",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "This is the mail system at host mx.example.net. Your message could not be delivered.",
    "",
    "--dsn-boundary",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.example.net",
    "Arrival-Date: Tue, 03 Mar 2026 10:04:58 +0000",
    "",
    `Final-Recipient: rfc822; ${input.recipient}`,
    `Original-Recipient: rfc822;${input.recipient}`,
    `Action: ${input.action ?? "failed"}`,
    `Status: ${status}`,
    `Diagnostic-Code: smtp; 550 ${status} <${input.recipient}>: Recipient address rejected:`,
    "    User unknown in virtual mailbox table",
    "",
    "--dsn-boundary",
    "Content-Type: text/rfc822-headers",
    "",
    "From: Acme Office <office@acme.test>",
    `To: ${input.recipient}`,
    "Subject: Task assigned to you",
    `Message-ID: ${input.originalMessageId}`,
    "",
    "--dsn-boundary--",
    "",
  ].join("\r\n");
}
