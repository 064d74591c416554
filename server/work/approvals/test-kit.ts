import { resolveMembership } from "../../auth/roles/roles.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { TestApp } from "../../testing/harness.ts";
import {
  consoleHeaders,
  createOrganization,
  createUser,
  sessionCookie,
  setUpBox,
  type TestBox,
} from "../../testing/identity.ts";
import { startApproval } from "./start-approval.ts";

/** Test helpers of the approvals tests. */

export type Call = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Response>;

/** A JSON API caller with a console session of `userId` in `orgId`. */
export function apiAs(box: TestApp, userId: string, orgId: string): Call {
  const cookie = sessionCookie(box, userId, orgId);
  return (method, path, body, headers = {}) =>
    box.fetch(path, {
      method,
      headers: {
        ...consoleHeaders(box, cookie),
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

/** The JSON of a response whose status must be `status`. */
export async function jsonOf<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function errorOf(
  response: Response,
): Promise<{ code: string; message: string; details?: { path: string; message: string }[] }> {
  return (
    (await response.json()) as {
      error: { code: string; message: string; details?: { path: string; message: string }[] };
    }
  ).error;
}

/** A service context for `userId` acting in `orgId`, as a route would build it. */
export function contextFor(box: TestApp, userId: string, orgId: string): ServiceContext {
  const membership = resolveMembership(box.deps.db, userId, orgId);
  if (!membership) throw new Error(`${userId} is not a member of ${orgId}`);
  return {
    db: box.deps.db,
    log: box.deps.log,
    keyring: box.deps.keyring,
    orgId,
    userId,
    apiKeyId: null,
    permissions: membership.permissions,
    meta: {},
  };
}

export type StepBody = {
  name: string;
  approverType: "user" | "role";
  approverUserId?: string | null;
  approverRole?: string | null;
  rule?: "any" | "all";
};

export const userStep = (name: string, approverUserId: string): StepBody => ({
  name,
  approverType: "user",
  approverUserId,
});
export const roleStep = (name: string, approverRole: string, rule: "any" | "all" = "any"): StepBody => ({
  name,
  approverType: "role",
  approverRole,
  rule,
});

export type ApprovalBody = {
  id: string;
  status: string;
  currentStep: number;
  currentApproverIds: string[];
  requestedBy: string | null;
  subjectType: string;
  steps: StepBody[];
  decisions?: { deciderId: string; decision: string; comment: string; stepIndex: number; at: string }[];
};

/** The approvals tests' organisations: Acme's admin and people of every role, Globex's admin. */
export type ApprovalsWorld = {
  acme: TestBox;
  globex: { orgId: string; adminId: string };
  /** admin, ann (manager), lee (team lead), mia and max (members), vic (viewer). */
  id: Record<string, string>;
  as: Record<string, Call>;
  /** Globex's admin. */
  outsider: Call;
};

export async function createApprovalsWorld(box: TestApp): Promise<ApprovalsWorld> {
  const acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  const id: Record<string, string> = { admin: acme.adminId };
  for (const [key, role] of [
    ["ann", "manager"],
    ["lee", "team_lead"],
    ["mia", "member"],
    ["max", "member"],
    ["vic", "viewer"],
  ] as const) {
    id[key] = await createUser(box, { orgId: acme.orgId, role, name: key.toUpperCase(), email: `${key}@acme.test` });
  }
  const as: Record<string, Call> = {};
  for (const key of Object.keys(id)) as[key] = apiAs(box, id[key] ?? "", acme.orgId);
  return { acme, globex, id, as, outsider: apiAs(box, globex.adminId, globex.orgId) };
}

/** An invoice's approval request, started as the invoice module starts it (no invoice row needed). */
export function startInvoiceRequest(box: TestApp, ctx: ServiceContext, pipelineId: string) {
  return box.deps.db.transaction((tx) =>
    startApproval(tx, ctx, {
      subjectType: "invoice",
      subjectId: "inv_00000000000000000000000000",
      title: "Invoice INV-0001",
      amount: 120000,
      currency: "EUR",
      pipelineId,
    }),
  );
}

/** Asks, as `caller`, for approval of the purchase "Forklift tyres" (EUR 450.00) through a pipeline; its id. */
export async function requestPurchase(caller: Call, pipelineId: string): Promise<string> {
  const body = { subjectType: "purchase", title: "Forklift tyres", amount: 45000, currency: "EUR", pipelineId };
  return (await jsonOf<{ id: string }>(await caller("POST", "/api/v1/approvals", body), 201)).id;
}
