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
import { ApprovalComments } from "../../../views/partials/work/approvals/comments.tsx";
import { renderPage } from "../../console/render.tsx";
import { readUntilWrite } from "../../db-read-cache.ts";
import { formCsrf, redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { type FormSpec, validateForm } from "../../http/validate-form.ts";
import { addApprovalComment } from "./comments.ts";
import { approvalCommentsProps } from "./console-comment-props.ts";
import { approvalPageProps, approvalsListProps, newApprovalProps } from "./console-props.ts";
import { cancelApproval, decideApproval } from "./decisions.ts";
import { parseAmount } from "./money.ts";
import { approvalCommentInput, createApprovalInput, decisionInput } from "./schemas.ts";
import {
  approvalDetailOrNotFound,
  approvalOrNotFound,
  createApprovalRequest,
  listApprovalRequests,
} from "./service.ts";

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
  return renderPage(
    c,
    { title: "New approval request", current: "/approvals" },
    <NewApprovalPage {...newApprovalProps(c, state)} />,
    status,
  );
}

function renderRequest(
  c: Context<AppEnv>,
  id: string,
  state: Partial<Pick<ApprovalPageProps, "flash" | "comment">> & {
    typed?: { draft: string; error: string | null };
  } = {},
  status: ContentfulStatusCode = 200,
) {
  const ctx = serviceContext(c);
  const detail = approvalDetailOrNotFound(ctx, id);
  const csrf = formCsrf(c);
  const props = approvalPageProps(ctx, detail, {
    csrf,
    flash: state.flash ?? null,
    comment: state.comment ?? "",
    comments: approvalCommentsProps(ctx, csrf, detail.request, state.typed),
  });
  return renderPage(c, { title: detail.request.title, current: "/approvals" }, <ApprovalPage {...props} />, status);
}

const notices: Record<string, string> = {
  approve: "You approved this step.",
  reject: "You rejected the request.",
  cancel: "You cancelled this request.",
};

/** The form's fields as the API's body. */
function requestInputOf(values: NewApprovalValues) {
  const currency = values.currency.trim().toUpperCase() || "EUR";
  return {
    subjectType: values.subjectType,
    title: values.title,
    amount: values.amount.trim() === "" ? null : parseAmount(values.amount, currency),
    currency: values.currency.trim() === "" ? null : values.currency,
    details: values.details,
    pipelineId: values.pipelineId || null,
  };
}

/** An amount that is not a number stays a 422 on `amount`. */
function amountErrors(values: NewApprovalValues): Record<string, string> {
  const unreadable = values.amount.trim() !== "" && requestInputOf(values).amount === null;
  return unreadable ? { amount: "Enter an amount such as 1299.50." } : {};
}

const newRequestForm: FormSpec<NewApprovalValues> = {
  values: (form) => ({
    subjectType: form.text("subjectType") === "other" ? "other" : "purchase",
    title: form.text("title"),
    amount: form.text("amount"),
    currency: form.text("currency"),
    details: form.text("details"),
    pipelineId: form.text("pipelineId"),
  }),
  input: requestInputOf,
  check: amountErrors,
  invalid: (c, values, refusal) => renderNew(c, { values, errors: refusal.errors }, refusal.status),
  // The service's first field error is shown beside its field, a conflict above the form.
  refusal: (error) => {
    if (!(error instanceof AppError) || !["validation_failed", "conflict"].includes(error.code)) throw error;
    const field = error.details[0];
    const errors = field ? { [field.path]: field.message } : { form: error.message };
    return { errors, status: error.status as ContentfulStatusCode };
  },
};

/** A decision refused is told above the timeline, keeping the typed comment. */
const decisionForm: FormSpec<{ decision: string | undefined; comment: string; stepIndex: string }> = {
  values: (form) => ({
    decision: form.has("decision") ? form.text("decision") : undefined,
    comment: form.text("comment"),
    stepIndex: form.text("stepIndex"),
  }),
  input: (values) => ({
    decision: values.decision,
    comment: values.comment,
    stepIndex: values.stepIndex ? Number(values.stepIndex) : undefined,
  }),
  invalid: (c, values, refusal) => {
    const text = Object.values(refusal.errors)[0] ?? "Choose approve or reject.";
    return renderRequest(
      c,
      c.req.param("id") ?? "",
      { flash: { kind: "error", text }, comment: values.comment },
      refusal.status,
    );
  },
  refusal: (error) => {
    if (!(error instanceof AppError) || !["forbidden", "conflict"].includes(error.code)) throw error;
    return { errors: { form: error.message }, status: error.status as ContentfulStatusCode };
  },
};

/** A comment refused: htmx gets the thread back with the text and the reason, a plain form the page. */
const commentForm: FormSpec<{ body: string }> = {
  values: (form) => ({ body: form.text("body") }),
  input: (values) => ({ body: values.body.replace(/\r\n?/g, "\n") }),
  invalid: (c, values, refusal) => {
    const typed = { draft: values.body, error: Object.values(refusal.errors)[0] ?? "Write a comment." };
    const id = c.req.param("id") ?? "";
    if (!isHtmxRequest(c)) return renderRequest(c, id, { typed }, refusal.status);
    const ctx = serviceContext(c);
    return c.html(
      <ApprovalComments {...approvalCommentsProps(ctx, formCsrf(c), approvalOrNotFound(ctx, id), typed)} />,
      refusal.status,
    );
  },
  refusal: (error) => {
    if (!(error instanceof AppError) || error.code !== "forbidden") throw error;
    return { errors: { form: error.message }, status: 403 };
  },
};

/** /approvals: the lists, a new request, one request with its timeline and decisions; pipelines under /approvals/pipelines. */
export const approvalsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("workspace.read"), (c) => {
    const ctx = serviceContext(c);
    const tab = tabOf(c.req.query("tab"));
    const cursor = c.req.query("cursor") || undefined;
    // Kept until the next write (db-read-cache.ts): what this person may see on this tab changes
    // only with a write (a request, a decision, a role), and nothing on the page moves with the clock.
    const key = JSON.stringify([ctx.userId, tab, cursor ?? null, [...ctx.permissions].sort()]);
    const props = readUntilWrite(ctx.db, `approvals.consolePage:${ctx.orgId}:${key}`, () => {
      const page = listApprovalRequests(ctx, {
        limit: PAGE_SIZE,
        cursor,
        waitingOn: tab === "waiting" ? "me" : undefined,
        requestedBy: tab === "mine" ? "me" : undefined,
      });
      return approvalsListProps(ctx, tab, page);
    });
    return renderPage(c, { title: "Approvals", current: "/approvals" }, <ApprovalsListPage {...props} />);
  })
  .get("/new", requirePermission("tasks.write"), (c) => renderNew(c, { values: emptyRequest, errors: {} }))
  .post("/new", requirePermission("tasks.write"), validateForm(createApprovalInput, newRequestForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      const detail = createApprovalRequest(serviceContext(c), input);
      return redirectTo(c, `/approvals/${detail.request.id}`);
    } catch (error) {
      return refused(error);
    }
  })
  .get("/:id", requirePermission("workspace.read"), (c) => {
    const notice = notices[c.req.query("notice") ?? ""];
    return renderRequest(c, c.req.param("id"), { flash: notice ? { kind: "notice", text: notice } : null });
  })
  .post("/:id/decide", requirePermission("approvals.decide"), validateForm(decisionInput, decisionForm), (c) => {
    const id = c.req.param("id");
    const { input, refused } = c.req.valid("form");
    try {
      decideApproval(serviceContext(c), id, input);
    } catch (error) {
      return refused(error);
    }
    return redirectTo(c, `/approvals/${id}?notice=${input.decision}`);
  })
  .post("/:id/comments", requirePermission("tasks.write"), validateForm(approvalCommentInput, commentForm), (c) => {
    const ctx = serviceContext(c);
    const { input, refused } = c.req.valid("form");
    try {
      const comment = addApprovalComment(ctx, c.req.param("id"), input);
      if (!isHtmxRequest(c)) return redirectTo(c, `/approvals/${comment.requestId}#approval-comments`);
      const request = approvalOrNotFound(ctx, comment.requestId);
      return c.html(<ApprovalComments {...approvalCommentsProps(ctx, formCsrf(c), request)} />);
    } catch (error) {
      return refused(error);
    }
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
