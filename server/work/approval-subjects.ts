import { settleDocumentApproval } from "../knowledge/approval.ts";
import { documentHref } from "../tools/document-links.ts";
import { registerSubjectSettler } from "./approvals/settle.ts";
import { registerSubjectLink } from "./approvals/subject-links.ts";
import { settleBillApproval } from "./bills/transitions.ts";
import { settleInvoiceApproval } from "./invoices/approval-subject.ts";
import { settleTimesheetApproval } from "./time/timesheet-approval.ts";
import { timesheetHref } from "./time/timesheet-link.ts";

/*
 * What settles each kind of approval subject when its approval ends, and where its page is. Wired here, above the
 * capabilities, because they start approvals (they import approvals), so approvals imports none
 * of them. Loaded by server/app.ts.
 */
registerSubjectSettler("invoice", settleInvoiceApproval);
registerSubjectSettler("timesheet", settleTimesheetApproval);
registerSubjectSettler("document", settleDocumentApproval);
registerSubjectSettler("bill", settleBillApproval);

registerSubjectLink("invoice", (_ctx, id) => `/invoices/${encodeURIComponent(id)}`);
registerSubjectLink("timesheet", timesheetHref);
registerSubjectLink("document", (_ctx, id) => documentHref(id));
registerSubjectLink("bill", (ctx, id) =>
  ctx.permissions.has("bills.manage") ? `/bills/${encodeURIComponent(id)}` : null,
);
