import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { domainEvents } from "../../models/events.ts";
import { apiAs, type Call, errorOf, postForm } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import type { DocumentJson } from "./schemas.ts";
import { uploadAs } from "./test-kit.ts";

let box: TestApp;
let acme: TestBox;
let memberCookie: string;
let otherMemberCookie: string;
let globexCookie: string;
let admin: Call;
let member: Call;
let otherMember: Call;
let viewer: Call;
let globex: Call;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  const other = await createOrganization(box, "Globex");
  memberCookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "member" }), acme.orgId);
  admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  member = apiAs(box, memberCookie);
  otherMemberCookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "member" }), acme.orgId);
  otherMember = apiAs(box, otherMemberCookie);
  viewer = apiAs(box, sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "viewer" }), acme.orgId));
  globexCookie = sessionCookie(box, other.adminId, other.orgId);
  globex = apiAs(box, globexCookie);
  const pipeline = await admin("POST", "/api/v1/approval-pipelines", {
    name: "Policy sign-off",
    subjectType: "document",
    steps: [{ name: "Director", approverType: "user", approverUserId: acme.adminId }],
  });
  expect(pipeline.status).toBe(201);
});
afterAll(() => box.close());

let uploads = 0;
async function policy(): Promise<DocumentJson> {
  uploads += 1;
  const response = await uploadAs(box, memberCookie, `Travel policy, version ${uploads}.`, `travel-${uploads}.txt`);
  expect(response.status).toBe(202);
  return (await response.json()) as DocumentJson;
}

async function documentOf(id: string): Promise<DocumentJson> {
  return (await (await member("GET", `/api/v1/documents/${id}`)).json()) as DocumentJson;
}

async function submit(call: Call, id: string, body?: Record<string, unknown>) {
  return call("POST", `/api/v1/documents/${id}/submit`, body);
}

describe("documents as approval subjects", () => {
  test("submitting starts a request through the documents pipeline; approval marks the document approved", async () => {
    const document = await policy();
    expect(document.approvalStatus).toBeNull();
    const response = await submit(member, document.id, { details: "Please sign off before Monday." });
    expect(response.status).toBe(200);
    const submitted = (await response.json()) as DocumentJson;
    expect(submitted.approvalStatus).toBe("pending");
    expect(submitted.approvalRequestId).toMatch(/^apr_/);
    const request = (await (await admin("GET", `/api/v1/approvals/${submitted.approvalRequestId}`)).json()) as Record<
      string,
      unknown
    >;
    expect(request).toMatchObject({
      subjectType: "document",
      subjectId: document.id,
      title: `Document “${document.title}”`,
      details: "Please sign off before Monday.",
      status: "pending",
    });
    const again = await submit(member, document.id);
    expect([again.status, (await errorOf(again)).code]).toEqual([409, "conflict"]);
    const decided = await admin("POST", `/api/v1/approvals/${submitted.approvalRequestId}/decisions`, {
      decision: "approve",
    });
    expect(decided.status).toBe(201);
    expect((await documentOf(document.id)).approvalStatus).toBe("approved");
    const events = box.deps.db
      .select({ summary: domainEvents.summary, data: domainEvents.data })
      .from(domainEvents)
      .where(and(eq(domainEvents.subjectId, document.id), eq(domainEvents.type, "document.approval_changed")))
      .all();
    expect(events.map((event) => [event.data.from, event.data.to])).toEqual([
      [null, "pending"],
      ["pending", "approved"],
    ]);
  });

  test("a rejection marks it rejected; it can be submitted again; a cancelled request leaves it unsubmitted", async () => {
    const document = await policy();
    const first = (await (await submit(member, document.id)).json()) as DocumentJson;
    await admin("POST", `/api/v1/approvals/${first.approvalRequestId}/decisions`, {
      decision: "reject",
      comment: "Mileage rate is out of date.",
    });
    expect((await documentOf(document.id)).approvalStatus).toBe("rejected");
    const second = (await (await submit(member, document.id)).json()) as DocumentJson;
    expect(second.approvalStatus).toBe("pending");
    expect(second.approvalRequestId).not.toBe(first.approvalRequestId);
    const cancelled = await member("POST", `/api/v1/approvals/${second.approvalRequestId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect((await documentOf(document.id)).approvalStatus).toBeNull();
  });

  test("only the uploader or a manager submits; viewers are refused; another organisation's document is 404", async () => {
    const document = await policy();
    const notMine = await submit(otherMember, document.id);
    expect([notMine.status, (await errorOf(notMine)).code]).toEqual([403, "forbidden"]);
    expect((await submit(viewer, document.id)).status).toBe(403);
    const elsewhere = await submit(globex, document.id);
    expect([elsewhere.status, (await errorOf(elsewhere)).code]).toEqual([404, "not_found"]);
    expect((await documentOf(document.id)).approvalStatus).toBeNull();
    expect((await submit(admin, document.id)).status).toBe(200);
  });

  test("a pipeline of another kind is refused with a field error, and nothing starts", async () => {
    const invoices = await admin("POST", "/api/v1/approval-pipelines", {
      name: "Invoice sign-off",
      subjectType: "invoice",
      steps: [{ name: "Director", approverType: "user", approverUserId: acme.adminId }],
    });
    const pipelineId = ((await invoices.json()) as { id: string }).id;
    const document = await policy();
    const refused = await submit(member, document.id, { pipelineId });
    expect(refused.status).toBe(422);
    expect((await errorOf(refused)).details?.[0]?.path).toBe("pipelineId");
    expect((await documentOf(document.id)).approvalStatus).toBeNull();
  });
});

describe("the document page's approval block", () => {
  const page = async (cookie: string, id: string) =>
    (await box.fetch(`/documents/${id}`, { headers: { Cookie: cookie } })).text();

  test("offers its uploader the form, shows where the request stands, and links to it", async () => {
    const document = await policy();
    expect(await page(memberCookie, document.id)).toContain("Not submitted for approval.");
    expect(await page(memberCookie, document.id)).toContain(`action="/documents/${document.id}/submit"`);
    expect(await page(otherMemberCookie, document.id)).not.toContain(`action="/documents/${document.id}/submit"`);
    const sent = await postForm(box, memberCookie, `/documents/${document.id}/submit`, { pipelineId: "", details: "" });
    expect([sent.status, sent.headers.get("HX-Redirect")]).toEqual([200, `/documents/${document.id}`]);
    const requestId = (await documentOf(document.id)).approvalRequestId;
    const html = await page(memberCookie, document.id);
    expect(html).toContain("Waiting for approval.");
    expect(html).toContain(`href="/approvals/${requestId}"`);
    expect(html).not.toContain(`action="/documents/${document.id}/submit"`);
    const request = await (await box.fetch(`/approvals/${requestId}`, { headers: { Cookie: memberCookie } })).text();
    expect(request).toContain(`href="/documents/${document.id}"`);
  });

  test("a refused submit comes back with the reason and the note as typed", async () => {
    const document = await policy();
    const refused = await postForm(box, memberCookie, `/documents/${document.id}/submit`, {
      pipelineId: "apl_missing",
      details: "Urgent: the audit is on Friday.",
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain("No such approval pipeline in this organisation.");
    expect(html).toContain("Urgent: the audit is on Friday.");
    expect((await documentOf(document.id)).approvalStatus).toBeNull();
  });

  test("another member may not submit it (403) and another organisation does not find it (404)", async () => {
    const document = await policy();
    const path = `/documents/${document.id}/submit`;
    expect((await postForm(box, otherMemberCookie, path, { details: "" })).status).toBe(403);
    expect((await postForm(box, globexCookie, path, { details: "" })).status).toBe(404);
    expect((await documentOf(document.id)).approvalStatus).toBeNull();
  });
});
