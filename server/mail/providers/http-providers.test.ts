import { afterAll, beforeAll, expect, test } from "bun:test";
import { freePort } from "../../testing/harness.ts";
import { resendProvider } from "./resend.ts";
import { sendGridProvider } from "./sendgrid.ts";
import type { ProviderMessage } from "./types.ts";

/** What the next request gets: status, body and headers. */
type Answer = { status: number; body: string; headers?: Record<string, string> };
type Seen = { method: string; path: string; headers: Headers; body: unknown };

const seen: Seen[] = [];
let answers: Answer[] = [];
let server: ReturnType<typeof Bun.serve>;
let baseUrl = "";
beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (request) => {
      const url = new URL(request.url);
      seen.push({ method: request.method, path: url.pathname, headers: request.headers, body: await request.json() });
      const answer = answers.shift() ?? { status: 500, body: "no answer prepared" };
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    },
  });
  baseUrl = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.stop(true));

const RESEND_KEY = "re_test_1234567890abcdef";
const SENDGRID_KEY = "SG.test-key.abcdefghijklmnop";
const sender = { from: "office@acme.test", fromName: "Acme Office", giveUpAfterHours: 24 };
const message: ProviderMessage = {
  id: "msg_0001",
  messageIdHeader: "<msg_0001@acme.test>",
  date: new Date(),
  to: "ada@example.com",
  subject: "Hello over HTTP",
  text: "Plain words.",
  html: "<p>Rich words.</p>",
  replyTo: "help@acme.test",
  attachments: [],
  headers: {
    "List-Unsubscribe": "<https://box.acme.test/unsubscribe/abc.def>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  },
};
/** The same message with a PDF: bytes that are not valid UTF-8, so a text round trip would break them. */
const pdfBytes = new Uint8Array([
  0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0xe2, 0xe3, 0xcf, 0xd3, 0xff, 0x00,
]);
const withPdf: ProviderMessage = {
  ...message,
  attachments: [{ fileName: "invoice-INV-7.pdf", contentType: "application/pdf", content: pdfBytes }],
};
const base64Pdf = Buffer.from(pdfBytes).toString("base64");
const resend = () => resendProvider({ provider: "resend", apiKey: RESEND_KEY, ...sender }, baseUrl);
const sendGrid = () => sendGridProvider({ provider: "sendgrid", apiKey: SENDGRID_KEY, ...sender }, baseUrl);

test("Resend: POST /emails with the bearer key, the outbox id as Idempotency-Key and the documented JSON (the Message-ID and custom headers in `headers`)", async () => {
  answers = [{ status: 200, body: '{"id":"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"}' }];
  const outcome = await resend().send(message);
  expect(outcome).toEqual({
    status: "sent",
    providerMessageId: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794",
    answer: 'HTTP 200: {"id":"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"}',
  });
  const request = seen.at(-1);
  expect(request?.method).toBe("POST");
  expect(request?.path).toBe("/emails");
  expect(request?.headers.get("Authorization")).toBe(`Bearer ${RESEND_KEY}`);
  expect(request?.headers.get("Content-Type")).toBe("application/json");
  expect(request?.headers.get("Idempotency-Key")).toBe("msg_0001");
  expect(request?.body).toEqual({
    from: "Acme Office <office@acme.test>",
    to: ["ada@example.com"],
    subject: "Hello over HTTP",
    text: "Plain words.",
    html: "<p>Rich words.</p>",
    reply_to: ["help@acme.test"],
    headers: { "Message-ID": "<msg_0001@acme.test>", ...message.headers },
  });
});

test("Resend: 429 and 5xx are temporary, other 4xx permanent, each with Resend's own answer and never the key", async () => {
  const rateLimited = '{"statusCode":429,"name":"rate_limit_exceeded","message":"Too many requests."}';
  const invalid = `{"statusCode":422,"name":"validation_error","message":"Invalid from field. Key ${RESEND_KEY} ok?"}`;
  answers = [
    { status: 429, body: rateLimited },
    { status: 503, body: "upstream down" },
    { status: 422, body: invalid },
  ];
  expect(await resend().send(message)).toEqual({ status: "temporary_failure", answer: `HTTP 429: ${rateLimited}` });
  expect(await resend().send(message)).toEqual({ status: "temporary_failure", answer: "HTTP 503: upstream down" });
  const refused = await resend().send(message);
  expect(refused.status).toBe("permanent_failure");
  expect(refused.answer).toContain("validation_error");
  expect(refused.answer).not.toContain(RESEND_KEY);
});

test("Resend: a request still running under the same key (409 concurrent_idempotent_requests) is retried later", async () => {
  answers = [{ status: 409, body: '{"statusCode":409,"name":"concurrent_idempotent_requests","message":"…"}' }];
  expect((await resend().send(message)).status).toBe("temporary_failure");
});

test("SendGrid: POST /v3/mail/send with personalizations, text before HTML, the Message-ID and custom headers in `headers`, and the id from X-Message-Id", async () => {
  answers = [{ status: 202, body: "", headers: { "X-Message-Id": "sg-abc123" } }];
  const outcome = await sendGrid().send(message);
  expect(outcome).toEqual({
    status: "sent",
    providerMessageId: "sg-abc123",
    answer: "HTTP 202 Accepted (X-Message-Id: sg-abc123)",
  });
  const request = seen.at(-1);
  expect(request?.path).toBe("/v3/mail/send");
  expect(request?.headers.get("Authorization")).toBe(`Bearer ${SENDGRID_KEY}`);
  expect(request?.body).toEqual({
    personalizations: [{ to: [{ email: "ada@example.com" }] }],
    from: { email: "office@acme.test", name: "Acme Office" },
    reply_to: { email: "help@acme.test" },
    subject: "Hello over HTTP",
    content: [
      { type: "text/plain", value: "Plain words." },
      { type: "text/html", value: "<p>Rich words.</p>" },
    ],
    headers: { "Message-ID": "<msg_0001@acme.test>", ...message.headers },
    custom_args: { opsbox_message_id: "msg_0001" },
  });
});

test("SendGrid: a 403 is permanent with its errors, 429 temporary", async () => {
  const errors =
    '{"errors":[{"message":"The from address does not match a verified Sender Identity.","field":"from","help":null}]}';
  answers = [
    { status: 403, body: errors },
    { status: 429, body: '{"errors":[{"message":"too many requests"}]}' },
  ];
  expect(await sendGrid().send(message)).toEqual({ status: "permanent_failure", answer: `HTTP 403: ${errors}` });
  expect((await sendGrid().send(message)).status).toBe("temporary_failure");
});

test("no answer at all (nothing listening) is a temporary failure for both", async () => {
  const nowhere = `http://127.0.0.1:${freePort()}`;
  const settings = { apiKey: "k-123456", ...sender };
  expect((await resendProvider({ provider: "resend", ...settings }, nowhere).send(message)).status).toBe(
    "temporary_failure",
  );
  expect((await sendGridProvider({ provider: "sendgrid", ...settings }, nowhere).send(message)).status).toBe(
    "temporary_failure",
  );
});

test("Resend: an attachment goes as `attachments` with its file name, base64 content and type", async () => {
  answers = [{ status: 200, body: '{"id":"a1"}' }];
  expect((await resend().send(withPdf)).status).toBe("sent");
  const body = seen.at(-1)?.body as { attachments?: unknown };
  expect(body.attachments).toEqual([
    { filename: "invoice-INV-7.pdf", content: base64Pdf, content_type: "application/pdf" },
  ]);
  expect(Buffer.from(base64Pdf, "base64").equals(Buffer.from(pdfBytes))).toBe(true);
});

test("SendGrid: an attachment goes as `attachments` with base64 content, type, file name and disposition", async () => {
  answers = [{ status: 202, body: "", headers: { "X-Message-Id": "sg-att" } }];
  expect((await sendGrid().send(withPdf)).status).toBe("sent");
  const body = seen.at(-1)?.body as { attachments?: unknown };
  expect(body.attachments).toEqual([
    { content: base64Pdf, filename: "invoice-INV-7.pdf", type: "application/pdf", disposition: "attachment" },
  ]);
});

test("without attachments neither request carries the field", async () => {
  answers = [
    { status: 200, body: '{"id":"a2"}' },
    { status: 202, body: "" },
  ];
  await resend().send(message);
  expect(seen.at(-1)?.body).not.toHaveProperty("attachments");
  await sendGrid().send(message);
  expect(seen.at(-1)?.body).not.toHaveProperty("attachments");
});

test("an inline image (the logo) goes with its content id: Resend `content_id`, SendGrid inline disposition", async () => {
  const logo = { fileName: "logo.png", contentType: "image/png", content: pdfBytes, contentId: "logo@opsbox" };
  const inline: ProviderMessage = { ...message, attachments: [logo] };
  answers = [
    { status: 200, body: '{"id":"a3"}' },
    { status: 202, body: "" },
  ];
  const attachmentsSent = () => (seen.at(-1)?.body as { attachments?: unknown } | undefined)?.attachments;
  await resend().send(inline);
  expect(attachmentsSent()).toEqual([
    { filename: "logo.png", content: base64Pdf, content_type: "image/png", content_id: "logo@opsbox" },
  ]);
  await sendGrid().send(inline);
  expect(attachmentsSent()).toEqual([
    { content: base64Pdf, filename: "logo.png", type: "image/png", disposition: "inline", content_id: "logo@opsbox" },
  ]);
});
