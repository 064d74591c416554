import { Hono } from "hono";
import { keepConnectionOpen } from "../../events/stream.ts";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { findCustomerById } from "../../work/invoices/customers.ts";
import { createDraftInvoice, matchCustomer } from "./draft.ts";
import { extractInvoice, readDocumentText } from "./read-invoice.ts";
import { type ExtractInvoiceAnswer, extractInvoiceAnswerSchema, extractInvoiceInput } from "./schemas.ts";

const description = `Reads the invoice in a document with the local chat model under a JSON-schema grammar, then validates and cleans what it read: vendor, customer, number, dates, currency (ISO 4217), totals and lines, money in integer minor units, null for anything unreadable. The document's text is treated as data, never as instructions.

With \`createDraft: true\` (needs \`invoices.manage\` as well) it also creates a draft invoice for review, numbered from the organisation's own sequence. Its customer is \`customerId\` when given, else the one customer named exactly like the invoice's addressee, else like its issuer; with none (or two of that name) no draft is made and \`review\` says so. 409 while the document has no text yet; 503 without a chat model or when the generation queue is full.`;

/** POST /documents/{id}/extract-invoice. */
export const invoiceReadingApi = new Hono<AppEnv>().post(
  "/:id/extract-invoice",
  apiDoc({
    summary: "Read an invoice out of a document",
    description,
    tags: ["Documents"],
    responses: {
      200: { description: "What was read, and the draft when one was made", schema: extractInvoiceAnswerSchema },
    },
  }),
  requirePermission("assistant.ask"),
  validate("json", extractInvoiceInput),
  async (c) => {
    const ctx = serviceContext(c);
    const input = c.req.valid("json");
    const documentId = c.req.param("id");
    // Everything that can refuse is checked before the model spends time on the document.
    readDocumentText(ctx, documentId);
    if (input.createDraft && !ctx.permissions.has("invoices.manage")) {
      throw new AppError("forbidden", "Creating a draft invoice needs the invoices.manage permission.");
    }
    if (input.createDraft && input.customerId && !findCustomerById(ctx.db, ctx.orgId, input.customerId)) {
      throw new AppError("validation_failed", "The request is not valid.", [
        { path: "customerId", message: "No such customer in this organisation." },
      ]);
    }
    keepConnectionOpen(c);
    const { document, invoice } = await extractInvoice(ctx, c.var.deps.ai, documentId, { signal: c.req.raw.signal });
    const answer: ExtractInvoiceAnswer = { documentId: document.id, invoice, draft: null, review: [] };
    if (input.createDraft) {
      const customer = matchCustomer(ctx, invoice, input.customerId);
      if (customer) {
        const made = createDraftInvoice(ctx, document, invoice, customer);
        answer.draft = made.draft;
        answer.review.push(...made.review);
      } else {
        const names = [invoice.customer.name, invoice.vendor.name].filter(Boolean).map((name) => `“${name}”`);
        answer.review.push(
          `No draft was made: no single customer is named ${names.length ? names.join(" or ") : "as on the invoice"}. Send customerId to choose one.`,
        );
      }
    }
    answer.review.push("The fields were read by a model: check them against the document before relying on them.");
    return c.json(answer);
  },
);
