import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import type { TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import {
  type ApprovalBody,
  type Call,
  contextFor,
  createApprovalsWorld,
  errorOf,
  jsonOf,
  roleStep,
  startInvoiceRequest,
  userStep,
} from "./test-kit.ts";

let box: TestApp;
let acme: TestBox;
let id: Record<string, string> = {};
let as: Record<string, Call> = {};
let outsider: Call;

beforeAll(async () => {
  box = await startInProcessApp();
  ({ acme, id, as, outsider } = await createApprovalsWorld(box));
});
afterAll(() => box.close());

const purchase = { subjectType: "purchase", title: "Forklift tyres", amount: 45000, currency: "EUR", details: "Four" };

describe("POST /api/v1/approvals", () => {
  test("without a pipeline for the subject (nor one for any subject) it is 409 saying to create one", async () => {
    const response = await as.mia?.("POST", "/api/v1/approvals", purchase);
    expect(response?.status).toBe(409);
    const error = await errorOf(response as Response);
    expect(error.code).toBe("conflict");
    expect(error.message).toContain("Create one");
  });

  test("goes through the pipeline for its subject type, else one for any subject", async () => {
    const anySubject = await jsonOf<{ id: string }>(
      (await as.admin?.("POST", "/api/v1/approval-pipelines", {
        name: "Anything",
        steps: [roleStep("Lead", "team_lead")],
      })) as Response,
      201,
    );
    const other = await jsonOf<ApprovalBody & { pipelineId: string }>(
      (await as.mia?.("POST", "/api/v1/approvals", { subjectType: "other", title: "Offsite" })) as Response,
      201,
    );
    expect(other.pipelineId).toBe(anySubject.id);
    const forPurchases = await jsonOf<{ id: string }>(
      (await as.admin?.("POST", "/api/v1/approval-pipelines", {
        name: "Purchases",
        subjectType: "purchase",
        steps: [roleStep("Manager", "manager")],
      })) as Response,
      201,
    );
    const response = (await as.mia?.("POST", "/api/v1/approvals", purchase)) as Response;
    const body = await jsonOf<ApprovalBody & { pipelineId: string; amount: number; currency: string }>(response, 201);
    expect(response.headers.get("Location")).toBe(`/api/v1/approvals/${body.id}`);
    expect(body).toMatchObject({
      pipelineId: forPurchases.id,
      subjectType: "purchase",
      amount: 45000,
      currency: "EUR",
      status: "pending",
      currentStep: 0,
      requestedBy: id.mia,
      currentApproverIds: [id.ann],
      decisions: [],
    });
  });

  test("validates the body (422 with paths) and only takes purchases and free-form requests", async () => {
    const cases: [unknown, string][] = [
      [{ ...purchase, amount: undefined }, "amount"],
      [{ ...purchase, currency: "euro" }, "currency"],
      [{ subjectType: "other", title: "X", amount: 5 }, "currency"],
      [{ ...purchase, title: " " }, "title"],
      [{ ...purchase, amount: 1.5 }, "amount"],
      [{ ...purchase, subjectType: "invoice" }, "subjectType"],
      [{ ...purchase, pipelineId: "apl_00000000000000000000000000" }, "pipelineId"],
    ];
    for (const [body, path] of cases) {
      const response = (await as.mia?.("POST", "/api/v1/approvals", body)) as Response;
      expect([response.status, (await errorOf(response)).details?.[0]?.path]).toEqual([422, path]);
    }
  });

  test("a viewer may not ask for approvals (403)", async () => {
    expect((await as.vic?.("POST", "/api/v1/approvals", purchase))?.status).toBe(403);
  });
});

describe("GET /api/v1/approvals", () => {
  test("filters by waitingOn=me, requestedBy=me, status and subjectType, newest first with a stable cursor", async () => {
    const mine = await jsonOf<ApprovalBody>(
      (await as.max?.("POST", "/api/v1/approvals", { ...purchase, title: "Max's" })) as Response,
      201,
    );
    const list = async (by: string, query: string) =>
      (await jsonOf<{ data: ApprovalBody[] }>((await as[by]?.("GET", `/api/v1/approvals?${query}`)) as Response, 200))
        .data;
    expect((await list("ann", "waitingOn=me")).map((row) => row.id)).toContain(mine.id);
    expect((await list("lee", "waitingOn=me")).map((row) => row.id)).not.toContain(mine.id);
    expect((await list("max", "requestedBy=me")).map((row) => row.id)).toEqual([mine.id]);
    expect(await list("vic", "waitingOn=me")).toEqual([]);
    await as.ann?.("POST", `/api/v1/approvals/${mine.id}/decisions`, { decision: "approve" });
    expect((await list("ann", "waitingOn=me")).map((row) => row.id)).not.toContain(mine.id);
    expect((await list("vic", "status=approved")).map((row) => row.id)).toEqual([mine.id]);
    expect((await list("vic", "subjectType=other")).every((row) => row.subjectType === "other")).toBe(true);

    const first = await jsonOf<{ data: ApprovalBody[]; nextCursor: string }>(
      (await as.vic?.("GET", "/api/v1/approvals?limit=1")) as Response,
      200,
    );
    await as.mia?.("POST", "/api/v1/approvals", { ...purchase, title: "Later" });
    const second = await jsonOf<{ data: ApprovalBody[] }>(
      (await as.vic?.("GET", `/api/v1/approvals?limit=1&cursor=${first.nextCursor}`)) as Response,
      200,
    );
    expect((second.data[0]?.id ?? "") < (first.data[0]?.id ?? "")).toBe(true);
    const bad = (await as.vic?.("GET", "/api/v1/approvals?waitingOn=ann")) as Response;
    expect(bad.status).toBe(422);
  });

  test("invoice requests are seen only by invoices.manage holders, the requester and the approvers (others 404)", async () => {
    // The invoice module starts these itself; here the service is called as it would be.
    const ctx = contextFor(box, id.lee ?? "", acme.orgId);
    const pipeline = await jsonOf<{ id: string }>(
      (await as.admin?.("POST", "/api/v1/approval-pipelines", {
        name: "Invoices by Mia",
        subjectType: "invoice",
        steps: [userStep("Mia checks", id.mia ?? "")],
      })) as Response,
      201,
    );
    const request = startInvoiceRequest(box, ctx, pipeline.id);
    for (const who of ["admin", "ann", "lee", "mia"]) {
      expect([who, (await as[who]?.("GET", `/api/v1/approvals/${request.id}`))?.status]).toEqual([who, 200]);
    }
    for (const who of ["max", "vic"]) {
      expect([who, (await as[who]?.("GET", `/api/v1/approvals/${request.id}`))?.status]).toEqual([who, 404]);
      const list = await jsonOf<{ data: ApprovalBody[] }>(
        (await as[who]?.("GET", "/api/v1/approvals")) as Response,
        200,
      );
      expect(list.data.map((row) => row.id)).not.toContain(request.id);
    }
    expect((await as.max?.("POST", `/api/v1/approvals/${request.id}/decisions`, { decision: "approve" }))?.status).toBe(
      404,
    );
  });

  test("another organisation's request is 404 for every route", async () => {
    const ours = await jsonOf<ApprovalBody>((await as.mia?.("POST", "/api/v1/approvals", purchase)) as Response, 201);
    expect((await outsider("GET", `/api/v1/approvals/${ours.id}`)).status).toBe(404);
    expect((await outsider("GET", `/api/v1/approvals/${ours.id}/decisions`)).status).toBe(404);
    expect((await outsider("POST", `/api/v1/approvals/${ours.id}/decisions`, { decision: "approve" })).status).toBe(
      404,
    );
    expect((await outsider("POST", `/api/v1/approvals/${ours.id}/cancel`)).status).toBe(404);
    const theirs = await jsonOf<{ data: ApprovalBody[] }>(await outsider("GET", "/api/v1/approvals"), 200);
    expect(theirs.data).toEqual([]);
  });
});

describe("GET /api/v1/approvals/:id and decisions", () => {
  test("answers steps, currentStep, currentApproverIds and decisions with comments; ETag and 304", async () => {
    const started = await jsonOf<ApprovalBody>(
      (await as.mia?.("POST", "/api/v1/approvals", purchase)) as Response,
      201,
    );
    await as.ann?.("POST", `/api/v1/approvals/${started.id}/decisions`, { decision: "approve", comment: "Go ahead" });
    const response = (await as.vic?.("GET", `/api/v1/approvals/${started.id}`)) as Response;
    const etag = response.headers.get("ETag") ?? "";
    const body = await jsonOf<ApprovalBody>(response, 200);
    expect(body.steps).toEqual([
      { name: "Manager", approverType: "role", approverUserId: null, approverRole: "manager", rule: "any" },
    ]);
    expect(body).toMatchObject({ status: "approved", currentStep: 1, currentApproverIds: [] });
    expect(body.decisions?.[0]).toMatchObject({
      deciderId: id.ann,
      decision: "approve",
      comment: "Go ahead",
      stepIndex: 0,
    });
    expect(body.decisions?.[0]?.at).toMatch(/Z$/);
    expect(
      (await as.vic?.("GET", `/api/v1/approvals/${started.id}`, undefined, { "If-None-Match": etag }))?.status,
    ).toBe(304);
    const decisions = await jsonOf<{ data: unknown[]; nextCursor: null }>(
      (await as.vic?.("GET", `/api/v1/approvals/${started.id}/decisions`)) as Response,
      200,
    );
    expect(decisions.data).toHaveLength(1);
    expect((await as.vic?.("GET", "/api/v1/approvals/apr_00000000000000000000000000"))?.status).toBe(404);
  });
});

describe("POST /api/v1/approvals/:id/cancel", () => {
  test("only the requester cancels, only while pending", async () => {
    const started = await jsonOf<ApprovalBody>(
      (await as.mia?.("POST", "/api/v1/approvals", purchase)) as Response,
      201,
    );
    const byOther = (await as.ann?.("POST", `/api/v1/approvals/${started.id}/cancel`)) as Response;
    expect(byOther.status).toBe(403);
    const cancelled = await jsonOf<ApprovalBody>(
      (await as.mia?.("POST", `/api/v1/approvals/${started.id}/cancel`)) as Response,
      200,
    );
    expect(cancelled.status).toBe("cancelled");
    expect((await as.mia?.("POST", `/api/v1/approvals/${started.id}/cancel`))?.status).toBe(409);
    expect((await as.ann?.("POST", `/api/v1/approvals/${started.id}/decisions`, { decision: "approve" }))?.status).toBe(
      409,
    );
  });
});
