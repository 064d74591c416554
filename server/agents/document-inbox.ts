import { and, asc, eq, gte, inArray, isNull, lt } from "drizzle-orm";
import { z } from "zod";
import { documentInboxReads } from "../../models/bills.ts";
import { type Document, documentChunks, documents } from "../../models/knowledge.ts";
import type { Queryable } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { readingConfidence } from "../knowledge/invoice-reading/confidence.ts";
import { extractInvoice } from "../knowledge/invoice-reading/read-invoice.ts";
import { readOrganizationSetting, writeOrganizationSetting } from "../organization-settings.ts";
import { looksLikeBill } from "../tools/bill-words.ts";
import { createBill } from "../work/bills/bill-writes.ts";
import { findBillOfDocument } from "../work/bills/bills.ts";
import { readInvoiceSettings } from "../work/invoices/settings.ts";
import type { AgentDefinition, AgentResult, AgentWork } from "./definition.ts";
import { billInputFromReading, recordInboxRead, routeBill } from "./document-inbox-bill.ts";

const AGENT = "document-parser";
/** Where the last pass stopped: documents indexed before it were all looked at. */
const POSITION_KEY = "agents.document-parser.position";
/** With no position yet (the agent was just switched on), it looks back this far, not at the whole archive. */
const FIRST_LOOK_BACK_MS = 7 * 24 * 3_600_000;
/** Documents looked at per pass (words only), and of those read with the model (each a model call). */
const LOOK_AT = 200;
const READ_AT_MOST = 3;
/** The text the words are looked for in: the document's first chunks. */
const FIRST_CHUNKS = 4;

export const documentInboxSettings = z.object({
  thresholdPercent: z.coerce.number().int().min(0).max(101).default(90),
});
type Settings = z.output<typeof documentInboxSettings>;

type Candidate = { document: Document; bill: boolean; reason: string };
type Plan = { preview: string[]; candidates: Candidate[] };

function positionOf(db: Queryable, orgId: string, now: Date): Date {
  const stored = readOrganizationSetting(db, orgId, POSITION_KEY);
  return typeof stored === "number" ? new Date(stored) : new Date(now.getTime() - FIRST_LOOK_BACK_MS);
}

/** Indexed documents since the position that the agent has not looked at, oldest first. */
function newDocuments(db: Queryable, orgId: string, since: Date): Document[] {
  return db
    .select({ document: documents })
    .from(documents)
    .leftJoin(
      documentInboxReads,
      and(eq(documentInboxReads.orgId, documents.orgId), eq(documentInboxReads.documentId, documents.id)),
    )
    .where(
      and(
        eq(documents.orgId, orgId),
        eq(documents.status, "indexed"),
        gte(documents.indexedAt, since),
        isNull(documentInboxReads.documentId),
      ),
    )
    .orderBy(asc(documents.indexedAt), asc(documents.id))
    .limit(LOOK_AT)
    .all()
    .map((row) => row.document);
}

function firstText(db: Queryable, orgId: string, ids: string[]): Map<string, string> {
  const texts = new Map<string, string>();
  if (ids.length === 0) return texts;
  const rows = db
    .select({ documentId: documentChunks.documentId, ordinal: documentChunks.ordinal, text: documentChunks.text })
    .from(documentChunks)
    .where(
      and(
        eq(documentChunks.orgId, orgId),
        inArray(documentChunks.documentId, ids),
        lt(documentChunks.ordinal, FIRST_CHUNKS),
      ),
    )
    .orderBy(asc(documentChunks.documentId), asc(documentChunks.ordinal))
    .all();
  for (const row of rows) {
    texts.set(row.documentId, `${texts.get(row.documentId) ?? ""}\n${row.text}`);
  }
  return texts;
}

/** Of these e-mails, those with attachments: the bill is in the attachment, and one bill is made of it, not two. */
function parentsAmong(db: Queryable, orgId: string, ids: string[]): Set<string> {
  if (ids.length === 0) return new Set();
  const rows = db
    .selectDistinct({ parentId: documents.parentId })
    .from(documents)
    .where(and(eq(documents.orgId, orgId), inArray(documents.parentId, ids)))
    .all();
  return new Set(rows.flatMap((row) => (row.parentId ? [row.parentId] : [])));
}

function plan(work: AgentWork<Settings>): Plan {
  const { ctx, now } = work;
  const found = newDocuments(ctx.db, ctx.orgId, positionOf(ctx.db, ctx.orgId, now));
  const texts = firstText(
    ctx.db,
    ctx.orgId,
    found.map((document) => document.id),
  );
  const withAttachments = parentsAmong(
    ctx.db,
    ctx.orgId,
    found.filter((document) => document.kind === "email").map((document) => document.id),
  );
  const candidates = found.map((document) =>
    withAttachments.has(document.id)
      ? { document, bill: false, reason: "an e-mail with attachments: its attachments are read instead" }
      : { document, ...looksLikeBill(texts.get(document.id) ?? "") },
  );
  const bills = candidates.filter((candidate) => candidate.bill);
  const preview = bills.slice(0, 20).map((candidate) => `would read “${candidate.document.fileName}” as a bill`);
  if (bills.length > 20) preview.push(`… and ${bills.length - 20} more`);
  const others = candidates.length - bills.length;
  if (others > 0) preview.push(`would pass over ${others} document(s) that do not look like bills`);
  // Only a runtime that was handed over can say it has no model (the CLI's dry run has none to ask).
  if (bills.length > 0 && work.ai && !work.ai.chatModel()) {
    preview.push("No chat model is installed: bills wait until an admin installs one in Settings → AI.");
  }
  return { preview, candidates };
}

async function apply(work: AgentWork<Settings>, planned: Plan): Promise<AgentResult> {
  const { ctx, now } = work;
  const pending = planned.candidates.filter((candidate) => candidate.bill);
  // What is not a bill is marked read in one commit, however many there are.
  ctx.db.transaction((tx) => {
    for (const candidate of planned.candidates) {
      if (!candidate.bill)
        recordInboxRead(tx, ctx.orgId, candidate.document.id, "not_a_bill", { note: candidate.reason }, now);
    }
  });
  const links: NonNullable<AgentResult["links"]> = [];
  const done: string[] = [];
  let waiting = pending.length;
  const model = work.ai?.chatModel() ?? null;
  if (work.ai && model) {
    for (const candidate of pending.slice(0, READ_AT_MOST)) {
      work.signal?.throwIfAborted();
      const outcome = await readOne(work, candidate.document);
      if (!outcome) break;
      waiting--;
      done.push(outcome.line);
      work.log(outcome.line);
      if (outcome.link) links.push(outcome.link);
    }
  }
  advancePosition(ctx.db, ctx.orgId, planned.candidates, pending.slice(pending.length - waiting), now);
  const passed = planned.candidates.length - pending.length;
  const parts = [...done];
  if (passed > 0) parts.push(`passed over ${passed} document(s) that are not bills`);
  if (waiting > 0 && !model) {
    parts.push(
      `${waiting} document(s) that look like bills wait to be read: no chat model is installed (an admin can install one in Settings → AI)`,
    );
  } else if (waiting > 0) parts.push(`${waiting} document(s) that look like bills wait for the next run`);
  return { summary: parts.length > 0 ? `${parts.join("; ")}.` : "No new documents.", links };
}

type ReadOutcome = { line: string; link?: { label: string; href: string } } | null;

/** Reads one document as a bill and files it; null when the model is busy (tried again next run). */
async function readOne(work: AgentWork<Settings>, document: Document): Promise<ReadOutcome> {
  const { ctx, now } = work;
  const name = `“${document.fileName}”`;
  const existing = findBillOfDocument(ctx.db, ctx.orgId, document.id);
  if (existing) {
    recordInboxRead(ctx.db, ctx.orgId, document.id, "bill", { billId: existing.id }, now);
    return { line: `${name} already has a bill` };
  }
  let invoice: Awaited<ReturnType<typeof extractInvoice>>["invoice"];
  try {
    if (!work.ai) return null;
    ({ invoice } = await extractInvoice(ctx, work.ai, document.id, { signal: work.signal }));
  } catch (error) {
    if (error instanceof AppError && error.code === "unavailable") return null;
    if (!(error instanceof AppError)) throw error;
    recordInboxRead(ctx.db, ctx.orgId, document.id, "unreadable", { note: error.message }, now);
    return { line: `could not read ${name}: ${error.message}` };
  }
  const reading = readingConfidence(invoice);
  const input = billInputFromReading(invoice, document, readInvoiceSettings(ctx.db, ctx.orgId).defaultCurrency);
  const view = createBill(ctx, input, {
    sourceDocumentId: document.id,
    confidence: reading.confidence,
    confidenceNotes: reading.notes,
  });
  recordInboxRead(ctx.db, ctx.orgId, document.id, "bill", { billId: view.bill.id }, now);
  const routed = routeBill(ctx, view, reading, work.settings.thresholdPercent / 100, now);
  const where = routed.to === "approval" ? "sent it for approval" : "it waits for review";
  return {
    line: `read ${name} as a bill from ${view.bill.supplierName} (${routed.reason}); ${where}`,
    link: { label: `Bill from ${view.bill.supplierName}`, href: `/bills/${view.bill.id}` },
  };
}

/** Moves the position to the oldest document still waiting, or past everything looked at. */
function advancePosition(db: Queryable, orgId: string, looked: Candidate[], waiting: Candidate[], now: Date) {
  const first = waiting[0]?.document.indexedAt;
  const last = looked.at(-1)?.document.indexedAt;
  const position = first ?? last;
  if (position) writeOrganizationSetting(db, orgId, POSITION_KEY, position.getTime(), now);
}

/**
 * On each finished ingestion (document-inbox-wake.ts) and every 5 minutes: reads newly indexed
 * documents that look like bills into draft bills, and routes them.
 */
export const documentInboxAgent: AgentDefinition<Settings, Plan> = {
  id: AGENT,
  name: "Document inbox",
  description:
    "When a document finishes ingesting (uploads and the mail inbox), and every 5 minutes to catch up: looks at the new documents; one whose words say it is an invoice or a bill is read with the local chat model into a draft bill, with the reading's confidence. At or above the threshold (90 % unless changed) the bill goes straight into the organisation's approval pipeline for bills; otherwise the people who manage bills are asked to review it. Each document is read once.",
  schedule: { cron: "*/5 * * * *", words: "every 5 minutes" },
  permissions: ["workspace.read", "bills.manage"],
  settings: documentInboxSettings,
  fields: [
    {
      name: "thresholdPercent",
      label: "Confidence (%) at which a bill goes straight into approval",
      kind: "number",
      hint: "0–100; 101 sends every bill to a person first.",
    },
  ],
  timeoutMs: 10 * 60_000,
  plan,
  apply,
};
