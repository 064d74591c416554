import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { approvalDecisions, approvalRequests } from "../../../models/approvals.ts";
import { domainEvents } from "../../../models/events.ts";
import { memberships } from "../../../models/identity.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createUser, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { listWaitingOnMe } from "./service.ts";
import { registerSubjectSettler } from "./settle.ts";
import {
  type ApprovalBody,
  apiAs,
  type Call,
  contextFor,
  errorOf,
  jsonOf,
  roleStep,
  type StepBody,
  userStep,
} from "./test-kit.ts";

let box: TestApp;
let acme: TestBox;
const id: Record<string, string> = {};
const as: Record<string, Call> = {};

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  id.admin = acme.adminId;
  for (const [key, role] of [
    ["ann", "manager"],
    ["ben", "manager"],
    ["lee", "team_lead"],
    ["mia", "member"],
    ["max", "member"],
    ["vic", "viewer"],
  ] as const) {
    id[key] = await createUser(box, { orgId: acme.orgId, role, name: key.toUpperCase(), email: `${key}@acme.test` });
  }
  for (const key of Object.keys(id)) as[key] = apiAs(box, id[key] ?? "", acme.orgId);
});
afterAll(() => box.close());

async function pipeline(name: string, steps: StepBody[]): Promise<string> {
  const response = await as.admin?.("POST", "/api/v1/approval-pipelines", { name, steps });
  return (await jsonOf<{ id: string }>(response as Response, 201)).id;
}

async function request(by: string, pipelineId: string, title = "New laptop"): Promise<ApprovalBody> {
  const response = await as[by]?.("POST", "/api/v1/approvals", {
    subjectType: "purchase",
    title,
    amount: 129900,
    currency: "eur",
    pipelineId,
  });
  return jsonOf<ApprovalBody>(response as Response, 201);
}

async function decide(by: string, requestId: string, decision: "approve" | "reject", comment = "") {
  return (await as[by]?.("POST", `/api/v1/approvals/${requestId}/decisions`, { decision, comment })) as Response;
}

async function read(requestId: string, by = "admin"): Promise<ApprovalBody> {
  return jsonOf<ApprovalBody>((await as[by]?.("GET", `/api/v1/approvals/${requestId}`)) as Response, 200);
}

describe("routing", () => {
  test("a user step waits on that person only; their approval completes the request", async () => {
    const started = await request("mia", await pipeline("Lee decides", [userStep("Lead check", id.lee ?? "")]));
    expect(started).toMatchObject({ status: "pending", currentStep: 0, currentApproverIds: [id.lee] });
    const out = await decide("ann", started.id, "approve");
    expect(out.status).toBe(403);
    expect((await errorOf(out)).message).toContain("not an approver of the current step");
    const decided = await jsonOf<{ decision: string; request: ApprovalBody }>(
      await decide("lee", started.id, "approve", "Fine by me"),
      201,
    );
    expect(decided.decision).toBe("approve");
    expect(decided.request).toMatchObject({ status: "approved", currentStep: 1, currentApproverIds: [] });
    const after = await read(started.id);
    expect(after.decisions).toEqual([
      {
        id: expect.any(String),
        requestId: started.id,
        stepIndex: 0,
        deciderId: id.lee,
        decision: "approve",
        comment: "Fine by me",
        at: expect.any(String),
      } as never,
    ]);
  });

  test("a role step with rule any: one holder's approval moves on to the next step, then completes", async () => {
    const started = await request(
      "mia",
      await pipeline("Managers then admin", [roleStep("Manager", "manager"), roleStep("Admin", "admin")]),
    );
    expect(started.currentApproverIds.sort()).toEqual([id.ann, id.ben].sort() as string[]);
    const first = await jsonOf<{ request: ApprovalBody }>(await decide("ben", started.id, "approve"), 201);
    expect(first.request).toMatchObject({ status: "pending", currentStep: 1, currentApproverIds: [id.admin] });
    // Ann held the same role, but the step is done: she is out of turn now.
    expect((await decide("ann", started.id, "approve")).status).toBe(403);
    const last = await jsonOf<{ request: ApprovalBody }>(await decide("admin", started.id, "approve"), 201);
    expect(last.request.status).toBe("approved");
  });

  test("a role step with rule all waits on every holder at decision time and counts who approved", async () => {
    const started = await request("mia", await pipeline("All managers", [roleStep("Managers", "manager", "all")]));
    const first = await jsonOf<{ request: ApprovalBody }>(await decide("ann", started.id, "approve"), 201);
    expect(first.request).toMatchObject({ status: "pending", currentStep: 0, currentApproverIds: [id.ben] });
    const twice = await decide("ann", started.id, "approve");
    expect(twice.status).toBe(409);
    expect((await errorOf(twice)).code).toBe("conflict");
    // A third manager appears before Ben decides: they must approve too.
    const cat = await createUser(box, { orgId: acme.orgId, role: "manager", name: "Cat", email: "cat@acme.test" });
    const second = await jsonOf<{ request: ApprovalBody }>(await decide("ben", started.id, "approve"), 201);
    expect(second.request).toMatchObject({ status: "pending", currentApproverIds: [cat] });
    const last = await jsonOf<{ request: ApprovalBody }>(
      await apiAs(box, cat, acme.orgId)("POST", `/api/v1/approvals/${started.id}/decisions`, { decision: "approve" }),
      201,
    );
    expect(last.request.status).toBe("approved");
    box.deps.db.delete(memberships).where(eq(memberships.userId, cat)).run();
  });

  test("reject ends the request at once; a finished request takes no more decisions (409)", async () => {
    const started = await request(
      "mia",
      await pipeline("Two steps", [roleStep("Manager", "manager"), userStep("Admin", id.admin ?? "")]),
    );
    const rejected = await jsonOf<{ request: ApprovalBody }>(
      await decide("ann", started.id, "reject", "Too expensive"),
      201,
    );
    expect(rejected.request).toMatchObject({ status: "rejected", currentStep: 0, currentApproverIds: [] });
    const late = await decide("admin", started.id, "approve");
    expect(late.status).toBe(409);
    expect((await errorOf(late)).message).toContain("already rejected");
  });

  test("the requester may not approve their own request: someone else must", async () => {
    const started = await request("ann", await pipeline("Managers only", [roleStep("Manager", "manager")]));
    expect(started.currentApproverIds).toEqual([id.ben] as string[]);
    const own = await decide("ann", started.id, "approve");
    expect(own.status).toBe(403);
    expect((await errorOf(own)).message).toContain("someone else must approve");
    expect((await decide("ben", started.id, "approve")).status).toBe(201);
  });

  test("deciding out of turn is 403 with a clear message; a viewer is stopped by the guard", async () => {
    const started = await request(
      "mia",
      await pipeline("Lead then manager", [userStep("Lead", id.lee ?? ""), roleStep("Manager", "manager")]),
    );
    const early = await decide("ann", started.id, "approve");
    expect(early.status).toBe(403);
    expect((await errorOf(early)).message).toBe(
      "You are not an approver of the current step (“Lead”): it is decided by LEE.",
    );
    expect((await decide("max", started.id, "reject")).status).toBe(403);
    expect((await decide("vic", started.id, "approve")).status).toBe(403);
    expect((await read(started.id)).decisions).toEqual([]);
  });

  test("a stepIndex the request has moved past is 409", async () => {
    const started = await request(
      "mia",
      await pipeline("Stale form", [roleStep("Manager", "manager"), roleStep("Admin", "admin")]),
    );
    expect((await decide("ann", started.id, "approve")).status).toBe(201);
    const stale = await as.ben?.("POST", `/api/v1/approvals/${started.id}/decisions`, {
      decision: "approve",
      stepIndex: 0,
    });
    expect(stale?.status).toBe(409);
  });

  test("events: requested for the approvers, decided for requester and next approvers, then completed", async () => {
    const started = await request("mia", await pipeline("Evented", [userStep("Lee", id.lee ?? "")]), "Printer");
    await decide("lee", started.id, "approve", "ok");
    const events = box.deps.db
      .select()
      .from(domainEvents)
      .where(and(eq(domainEvents.subjectId, started.id)))
      .all();
    expect(events.map((event) => [event.type, event.audience, event.permission])).toEqual([
      ["approval.requested", [id.lee], null],
      ["approval.decided", [id.mia], null],
      ["approval.completed", [id.mia], null],
    ] as never);
    expect(events[0]?.summary).toBe("MIA asked for approval of “Printer”");
  });

  test("listWaitingOnMe: pending requests at my step that I have not approved yet", async () => {
    const pipelineId = await pipeline("Waiting list", [roleStep("Managers", "manager", "all")]);
    const started = await request("mia", pipelineId, "Desk");
    const ann = contextFor(box, id.ann ?? "", acme.orgId);
    expect(listWaitingOnMe(ann, 50).map((row) => row.id)).toContain(started.id);
    await decide("ann", started.id, "approve");
    expect(listWaitingOnMe(ann, 50).map((row) => row.id)).not.toContain(started.id);
    const ben = listWaitingOnMe(contextFor(box, id.ben ?? "", acme.orgId), 50).find((row) => row.id === started.id);
    expect(ben).toMatchObject({
      title: "Desk",
      requesterName: "MIA",
      stepName: "Managers",
      href: `/approvals/${started.id}`,
    });
    expect(listWaitingOnMe(contextFor(box, id.mia ?? "", acme.orgId), 50)).toEqual([]);
    expect(listWaitingOnMe(contextFor(box, id.vic ?? "", acme.orgId), 50)).toEqual([]);
  });
});

describe("the subject follows through its settle hook, in the decision's transaction", () => {
  test("a free-form request's registered settler is called once with the outcome", async () => {
    const calls: { outcome: string; status: string; inTransaction: boolean }[] = [];
    const unregister = registerSubjectSettler("other", (tx, _ctx, settled, outcome) => {
      // Inside the transaction the request already has its final status.
      const row = tx.select().from(approvalRequests).where(eq(approvalRequests.id, settled.id)).get();
      calls.push({ outcome, status: row?.status ?? "", inTransaction: box.deps.db.$client.inTransaction });
    });
    try {
      const pipelineId = await pipeline("Free-form", [userStep("Lee", id.lee ?? "")]);
      const body = { subjectType: "other", title: "Team offsite", details: "Two days in May", pipelineId };
      const approved = await jsonOf<ApprovalBody>((await as.mia?.("POST", "/api/v1/approvals", body)) as Response, 201);
      await decide("lee", approved.id, "approve");
      const rejected = await jsonOf<ApprovalBody>((await as.mia?.("POST", "/api/v1/approvals", body)) as Response, 201);
      await decide("lee", rejected.id, "reject", "Not this year");
      const cancelled = await jsonOf<ApprovalBody>(
        (await as.mia?.("POST", "/api/v1/approvals", body)) as Response,
        201,
      );
      expect((await as.mia?.("POST", `/api/v1/approvals/${cancelled.id}/cancel`))?.status).toBe(200);
      expect(calls).toEqual([
        { outcome: "approved", status: "approved", inTransaction: true },
        { outcome: "rejected", status: "rejected", inTransaction: true },
        { outcome: "cancelled", status: "cancelled", inTransaction: true },
      ]);
    } finally {
      unregister();
    }
  });

  test("when the subject refuses, the whole decision is rolled back", async () => {
    const unregister = registerSubjectSettler("other", () => {
      throw new Error("subject refuses");
    });
    try {
      const pipelineId = await pipeline("Refused", [userStep("Lee", id.lee ?? "")]);
      const started = await jsonOf<ApprovalBody>(
        (await as.mia?.("POST", "/api/v1/approvals", { subjectType: "other", title: "Boat", pipelineId })) as Response,
        201,
      );
      expect((await decide("lee", started.id, "approve")).status).toBe(500);
      expect((await read(started.id)).status).toBe("pending");
      const decisions = box.deps.db
        .select()
        .from(approvalDecisions)
        .where(eq(approvalDecisions.requestId, started.id))
        .all();
      expect(decisions).toEqual([]);
    } finally {
      unregister();
    }
  });
});
