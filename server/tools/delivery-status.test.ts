import { expect, test } from "bun:test";
import PostalMime from "postal-mime";
import { rawBounceReport } from "../testing/bounce-report.ts";
import { isPermanentFailure, readDeliveryStatus } from "./delivery-status.ts";

const parse = (raw: string) => PostalMime.parse(raw, { attachmentEncoding: "arraybuffer" });

test("a Postfix bounce report names the recipient, the action, the status, the diagnostic and the original Message-ID", async () => {
  const raw = rawBounceReport({
    messageId: "dsn-1@mx.example.net",
    originalMessageId: "<msg_1@acme.test>",
    recipient: "Gone@Example.com",
  });
  const report = readDeliveryStatus(await parse(raw));
  expect(report).toEqual({
    originalMessageId: "<msg_1@acme.test>",
    recipients: [
      {
        address: "gone@example.com",
        action: "failed",
        status: "5.1.1",
        diagnostic:
          "smtp; 550 5.1.1 <Gone@Example.com>: Recipient address rejected: User unknown in virtual mailbox table",
      },
    ],
  });
  expect(report?.recipients.every(isPermanentFailure)).toBe(true);
});

test("a delayed or 4.x.x report is not a permanent failure", async () => {
  const delayed = readDeliveryStatus(
    await parse(
      rawBounceReport({
        messageId: "d@x",
        originalMessageId: "<m@a>",
        recipient: "a@b.c",
        action: "delayed",
        status: "4.4.1",
      }),
    ),
  );
  expect(delayed?.recipients[0]).toMatchObject({ action: "delayed", status: "4.4.1" });
  expect(delayed?.recipients.some(isPermanentFailure)).toBe(false);
  const temporary = readDeliveryStatus(
    await parse(rawBounceReport({ messageId: "t@x", originalMessageId: "<m@a>", recipient: "a@b.c", status: "4.2.2" })),
  );
  expect(temporary?.recipients.some(isPermanentFailure)).toBe(false);
});

test("ordinary mail, and a report of another type, are not delivery status notifications", async () => {
  const plain = "From: a@b.c\r\nTo: d@e.f\r\nSubject: Hi\r\nMessage-ID: <x@y>\r\n\r\nHello\r\n";
  expect(readDeliveryStatus(await parse(plain))).toBeNull();
  const readReceipt = rawBounceReport({ messageId: "r@x", originalMessageId: "<m@a>", recipient: "a@b.c" }).replace(
    "report-type=delivery-status",
    "report-type=disposition-notification",
  );
  expect(readDeliveryStatus(await parse(readReceipt))).toBeNull();
});
