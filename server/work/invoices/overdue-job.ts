/**
 * The stable id of the job that turns sent invoices past their due date overdue
 * (markOverdueInvoices, run hourly and at start by server/jobs/system-jobs.ts).
 */
export const OVERDUE_INVOICES_JOB = "invoices.overdue";
