import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { agentLabel } from "../../../models/agents.ts";
import type { Bill } from "../../../models/bills.ts";
import { documents } from "../../../models/knowledge.ts";
import type { BillDetailProps } from "../../../views/pages/work/bills/bill-detail.tsx";
import type { BillFormPageProps } from "../../../views/pages/work/bills/bill-form.tsx";
import type { BillListProps } from "../../../views/pages/work/bills/bill-list.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { namesOf } from "../../members/directory.ts";
import { documentHref } from "../../tools/document-links.ts";
import type { FormErrors } from "../invoices/invoice-form.ts";
import { type BillFormValues, blankLine, SPARE_ROWS } from "./bill-form.ts";
import { type BillView, billJson, type listBills } from "./bills.ts";
import { billTitle } from "./events.ts";

export type BillPageState = { notice?: string | null; error?: string | null };

const currencies = Intl.supportedValuesOf("currency");

/** Who entered each bill: an agent's name, or the person's. */
function creatorsOf(ctx: Pick<ServiceContext, "db" | "orgId">, rows: Bill[]): (bill: Bill) => string {
  const names = namesOf(
    ctx.db,
    ctx.orgId,
    rows.flatMap((bill) => (bill.createdBy ? [bill.createdBy] : [])),
  );
  return (bill) =>
    bill.createdByAgent
      ? agentLabel(bill.createdByAgent)
      : ((bill.createdBy ? names.get(bill.createdBy) : undefined) ?? "Someone");
}

export function billListProps(
  ctx: ServiceContext,
  page: ReturnType<typeof listBills>,
  status: BillListProps["status"],
): BillListProps {
  const creator = creatorsOf(ctx, page.data);
  const query = new URLSearchParams(status ? { status } : {});
  if (page.nextCursor) query.set("cursor", page.nextCursor);
  return {
    status,
    rows: page.data.map((bill) => ({
      id: bill.id,
      title: billTitle(bill),
      status: bill.status,
      dueDate: bill.dueDate,
      currency: bill.currency,
      total: bill.total,
      confidence: bill.confidence,
      createdBy: creator(bill),
    })),
    moreHref: page.nextCursor ? `/bills?${query}` : null,
  };
}

export function billDetailProps(
  c: Context<AppEnv>,
  ctx: ServiceContext,
  view: BillView,
  state: BillPageState,
): BillDetailProps {
  const { bill } = view;
  const source = bill.sourceDocumentId
    ? ctx.db
        .select({ title: documents.title })
        .from(documents)
        .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, bill.sourceDocumentId)))
        .get()
    : undefined;
  return {
    bill: billJson(view),
    title: billTitle(bill),
    createdBy: creatorsOf(ctx, [bill])(bill),
    source: source && bill.sourceDocumentId ? { title: source.title, href: documentHref(bill.sourceDocumentId) } : null,
    actions: {
      edit: bill.status === "draft",
      submit: bill.status === "draft",
      markPaid: bill.status === "approved",
    },
    notice: state.notice ?? null,
    error: state.error ?? null,
    csrf: formCsrf(c),
  };
}

/** The form's props; spare empty rows follow the typed lines. */
export function billFormProps(
  c: Context<AppEnv>,
  state: { values: BillFormValues; errors: FormErrors; message: string | null },
  editing: BillFormPageProps["editing"],
): BillFormPageProps {
  const lines = [...state.values.lines, ...Array.from({ length: SPARE_ROWS }, blankLine)];
  return { ...state, values: { ...state.values, lines }, editing, currencies, csrf: formCsrf(c) };
}
