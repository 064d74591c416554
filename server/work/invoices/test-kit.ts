import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { type InvoiceStatus, invoices } from "../../../models/billing.ts";
import { domainEvents } from "../../../models/events.ts";
import { timeEntries } from "../../../models/time.ts";
import { projects, tasks } from "../../../models/work.ts";
import { apiAs, type Call } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { newId } from "../../tools/ids.ts";
import type { InvoiceLineJson } from "./invoices.ts";

/** Test helpers of the invoices tests: an organisation with people of every role, and shortcuts. */

export type InvoiceBody = {
  id: string;
  number: string;
  status: InvoiceStatus;
  customerId: string;
  customerName: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  subtotal: number;
  tax: number;
  total: number;
  notes: string;
  approvalRequestId: string | null;
  lines: InvoiceLineJson[];
};

export type Scene = {
  acme: TestBox;
  other: { orgId: string; adminId: string };
  admin: Call;
  /** The other organisation's admin. */
  outsider: Call;
  asRole: Record<"manager" | "team_lead" | "member" | "viewer", Call>;
  userIds: Record<"manager" | "team_lead" | "member" | "viewer", string>;
};

export async function setUpScene(box: TestApp): Promise<Scene> {
  const acme = await setUpBox(box);
  const other = await createOrganization(box, "Globex");
  const userIds = {
    manager: await createUser(box, { orgId: acme.orgId, role: "manager", name: "Mona Manager" }),
    team_lead: await createUser(box, { orgId: acme.orgId, role: "team_lead" }),
    member: await createUser(box, { orgId: acme.orgId, role: "member" }),
    viewer: await createUser(box, { orgId: acme.orgId, role: "viewer" }),
  };
  const as = (userId: string, orgId = acme.orgId) => apiAs(box, sessionCookie(box, userId, orgId));
  return {
    acme,
    other,
    admin: as(acme.adminId),
    outsider: as(other.adminId, other.orgId),
    asRole: {
      manager: as(userIds.manager),
      team_lead: as(userIds.team_lead),
      member: as(userIds.member),
      viewer: as(userIds.viewer),
    },
    userIds,
  };
}

export async function json<T>(response: Response | undefined, status: number): Promise<T> {
  if (!response) throw new Error("no response");
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

let customerCount = 0;

/** A customer through the API. */
export async function makeCustomer(
  call: Call,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; name: string }> {
  customerCount += 1;
  return json(
    await call("POST", "/api/v1/customers", {
      name: `Customer ${customerCount}`,
      email: `billing${customerCount}@customer.test`,
      currency: "EUR",
      ...fields,
    }),
    201,
  );
}

/** A draft invoice with one 100.00 line at 20 % through the API. */
export async function makeInvoice(
  call: Call,
  customerId: string,
  fields: Record<string, unknown> = {},
): Promise<InvoiceBody> {
  return json(
    await call("POST", "/api/v1/invoices", {
      customerId,
      issueDate: "2026-03-01",
      lines: [{ description: "Consulting", quantity: 1, unitPrice: 10000, taxRate: 2000 }],
      ...fields,
    }),
    201,
  );
}

/** Puts an invoice straight into a status (for transition tests that start further along). */
export function forceStatus(box: TestApp, invoiceId: string, status: InvoiceStatus, approvalRequestId?: string): void {
  box.deps.db
    .update(invoices)
    .set({ status, ...(approvalRequestId ? { approvalRequestId } : {}) })
    .where(eq(invoices.id, invoiceId))
    .run();
}

export function eventsOf(box: TestApp, subjectId: string, type?: string) {
  return box.deps.db
    .select()
    .from(domainEvents)
    .where(and(eq(domainEvents.subjectId, subjectId), type ? eq(domainEvents.type, type) : undefined))
    .all();
}

/** A project with tasks, straight in the database (the projects and time areas own their APIs). */
let projectCount = 0;

export function makeProject(box: TestApp, orgId: string, name: string, taskTitles: string[] = []) {
  const projectId = newId("prj");
  projectCount += 1;
  box.deps.db
    .insert(projects)
    .values({ id: projectId, orgId, name, code: `P${projectCount}` })
    .run();
  const taskIds = taskTitles.map((title) => {
    const id = newId("tsk");
    box.deps.db.insert(tasks).values({ id, orgId, projectId, title, lastActivityAt: new Date() }).run();
    return id;
  });
  return { projectId, taskIds };
}

export function logTime(
  box: TestApp,
  entry: {
    orgId: string;
    userId: string;
    projectId: string;
    taskId?: string | null;
    date: string;
    minutes: number;
    billable?: boolean;
  },
): string {
  const id = newId("tim");
  box.deps.db
    .insert(timeEntries)
    .values({
      id,
      orgId: entry.orgId,
      userId: entry.userId,
      projectId: entry.projectId,
      taskId: entry.taskId ?? null,
      date: entry.date,
      minutes: entry.minutes,
      billable: entry.billable ?? true,
    })
    .run();
  return id;
}

/**
 * The text of a PDF as a reader gets it: poppler's pdftotext (Debian `poppler-utils`), so the
 * fonts' Unicode maps are checked too, not only what was drawn. NFC, as pdftotext may decompose.
 */
export function pdfToText(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "opsbox-pdf-"));
  try {
    const path = join(dir, "invoice.pdf");
    writeFileSync(path, bytes);
    const run = Bun.spawnSync(["pdftotext", "-enc", "UTF-8", path, "-"], { stderr: "pipe" });
    if (run.exitCode !== 0) throw new Error(`pdftotext failed: ${run.stderr.toString()}`);
    return run.stdout.toString().normalize("NFC");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
