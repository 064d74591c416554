/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApprovalPage } from "../../../views/pages/work/approvals/detail.tsx";
import { ApprovalsListPage } from "../../../views/pages/work/approvals/list.tsx";
import { NewApprovalPage } from "../../../views/pages/work/approvals/new.tsx";
import type {
  ApprovalPageProps,
  ApprovalTab,
  NewApprovalProps,
  NewApprovalValues,
} from "../../../views/pages/work/approvals/types.ts";
import { renderPage } from "../../console/render.tsx";
import { formCsrf, readForm, redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError, detailsFromZod } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { approvalPageProps, approvalRows, subjectLabel } from "./console-props.ts";
import { cancelApproval, decideApproval } from "./decisions.ts";
import { parseAmount } from "./money.ts";
import { pipelinesTaking } from "./pipelines.ts";
import { createApprovalInput, decisionInput } from "./schemas.ts";
import { approvalDetailOrNotFound, createApprovalRequest, listApprovalRequests } from "./service.ts";

const PAGE_SIZE = 50;
const emptyRequest: NewApprovalValues = {
  subjectType: "purchase",
  title: "",
  amount: "",
  currency: "EUR",
  details: "",
  pipelineId: "",
};

function tabOf(value: string | undefined): ApprovalTab {
  return value === "mine" || value === "all" ? value : "waiting";
}

function renderNew(
  c: Context<AppEnv>,
  state: Pick<NewApprovalProps, "values" | "errors">,
  status: ContentfulStatusCode = 200,
) {
  const ctx = serviceContext(c);
  const pipelines = pipelinesTaking(ctx, ["purchase", "other"]).map((pipeline) => ({
    id: pipeline.id,
    name: pipeline.name,
    subjectLabel: subjectLabel(pipeline.subjectType),
  }));
  const props: NewApprovalProps = { ...state, pipelines, csrf: formCsrf(c) };
  return renderPage(
    c,
    { title: "New approval request", current: "/approvals" },
    <NewApprovalPage {...props} />,
    status,
  );
}

function renderRequest(
  c: Context<AppEnv>,
  id: string,
  state: Partial<Pick<ApprovalPageProps, "flash" | "comment">> = {},
  status: ContentfulStatusCode = 200,
) {
  const ctx = serviceContext(c);
  const detail = approvalDetailOrNotFound(ctx, id);
  const props = approvalPageProps(ctx, detail, {
    csrf: formCsrf(c),
    flash: state.flash ?? null,
    comment: state.comment ?? "",
  });
  return renderPage(c, { title: detail.request.title, current: "/approvals" }, <ApprovalPage {...props} />, status);
}

/** The form's fields as the API's body; an amount that is not a number stays a 422 on `amount`. */
function requestInputOf(values: NewApprovalValues): { input: unknown; amountError: string | null } {
  const currency = values.currency.trim().toUpperCase() || "EUR";
  const amount = values.amount.trim() === "" ? null : parseAmount(values.amount, currency);
  const amountError = values.amount.trim() !== "" && amount === null ? "Enter an amount such as 1299.50." : null;
  return {
    input: {
      subjectType: values.subjectType,
      title: values.title,
      amount,
      currency: values.currency.trim() === "" ? null : values.currency,
      details: values.details,
      pipelineId: values.pipelineId || null,
    },
    amountError,
  };
}

const notices: Record<string, string> = {
  approve: "You approved this step.",
  reject: "You rejected the request.",
  cancel: "You cancelled this request.",
};

/** /approvals: the lists, a new request, one request with its timeline and decisions; pipelines under /approvals/pipelines. */
export const approvalsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("workspace.read"), (c) => {
    const ctx = serviceContext(c);
    const tab = tabOf(c.req.query("tab"));
    const cursor = c.req.query("cursor") || undefined;
    const page = listApprovalRequests(ctx, {
      limit: PAGE_SIZE,
      cursor,
      waitingOn: tab === "waiting" ? "me" : undefined,
      requestedBy: tab === "mine" ? "me" : undefined,
    });
    const query = new URLSearchParams(tab === "waiting" ? {} : { tab });
    if (page.nextCursor) query.set("cursor", page.nextCursor);
    const props = {
      tab,
      rows: approvalRows(ctx, page.data),
      nextHref: page.nextCursor ? `/approvals?${query}` : null,
      canRequest: ctx.permissions.has("tasks.write"),
      canManagePipelines: ctx.permissions.has("projects.manage"),
    };
    return renderPage(c, { title: "Approvals", current: "/approvals" }, <ApprovalsListPage {...props} />);
  })
  .get("/new", requirePermission("tasks.write"), (c) => renderNew(c, { values: emptyRequest, errors: {} }))
  .post("/new", requirePermission("tasks.write"), async (c) => {
    const fields = await readForm(c);
    const values: NewApprovalValues = {
      subjectType: fields.subjectType === "other" ? "other" : "purchase",
      title: fields.title ?? "",
      amount: fields.amount ?? "",
      currency: fields.currency ?? "",
      details: fields.details ?? "",
      pipelineId: fields.pipelineId ?? "",
    };
    const { input, amountError } = requestInputOf(values);
    const parsed = createApprovalInput.safeParse(input);
    if (!parsed.success || amountError) {
      const errors: NewApprovalProps["errors"] = {};
      for (const detail of parsed.success ? [] : detailsFromZod(parsed.error)) {
        const key = (detail.path || "form") as keyof NewApprovalProps["errors"];
        errors[key] ??= detail.message;
      }
      if (amountError) errors.amount = amountError;
      return renderNew(c, { values, errors }, 422);
    }
    try {
      const detail = createApprovalRequest(serviceContext(c), parsed.data);
      return redirectTo(c, `/approvals/${detail.request.id}`);
    } catch (error) {
      if (!(error instanceof AppError) || !["validation_failed", "conflict"].includes(error.code)) throw error;
      const field = error.details[0];
      const errors = field ? { [field.path]: field.message } : { form: error.message };
      return renderNew(c, { values, errors }, error.status as ContentfulStatusCode);
    }
  })
  .get("/:id", requirePermission("workspace.read"), (c) => {
    const notice = notices[c.req.query("notice") ?? ""];
    return renderRequest(c, c.req.param("id"), { flash: notice ? { kind: "notice", text: notice } : null });
  })
  .post("/:id/decide", requirePermission("approvals.decide"), async (c) => {
    const id = c.req.param("id");
    const fields = await readForm(c);
    const comment = fields.comment ?? "";
    const parsed = decisionInput.safeParse({
      decision: fields.decision,
      comment,
      stepIndex: fields.stepIndex ? Number(fields.stepIndex) : undefined,
    });
    if (!parsed.success) {
      const text = detailsFromZod(parsed.error)[0]?.message ?? "Choose approve or reject.";
      return renderRequest(c, id, { flash: { kind: "error", text }, comment }, 422);
    }
    try {
      decideApproval(serviceContext(c), id, parsed.data);
    } catch (error) {
      if (!(error instanceof AppError) || !["forbidden", "conflict"].includes(error.code)) throw error;
      return renderRequest(
        c,
        id,
        { flash: { kind: "error", text: error.message }, comment },
        error.status as ContentfulStatusCode,
      );
    }
    return redirectTo(c, `/approvals/${id}?notice=${parsed.data.decision}`);
  })
  .post("/:id/cancel", requirePermission("workspace.read"), (c) => {
    const id = c.req.param("id");
    try {
      cancelApproval(serviceContext(c), id);
    } catch (error) {
      if (!(error instanceof AppError) || !["forbidden", "conflict"].includes(error.code)) throw error;
      return renderRequest(
        c,
        id,
        { flash: { kind: "error", text: error.message } },
        error.status as ContentfulStatusCode,
      );
    }
    return redirectTo(c, `/approvals/${id}?notice=cancel`);
  });
