import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { domainEvents } from "../../../models/events.ts";
import { notifications } from "../../../models/notifications.ts";
import { postForm } from "../../auth/people/people-test-kit.ts";
import { runNotifier } from "../../notifications/notifier.ts";
import type { TestApp } from "../../testing/harness.ts";
import { sessionCookie, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import {
  type Call,
  contextFor,
  createApprovalsWorld,
  errorOf,
  jsonOf,
  requestPurchase,
  startInvoiceRequest,
  userStep,
} from "./test-kit.ts";

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
let id: Record<string, string> = {};
let as: Record<string, Call> = {};
let outsider: Call;
let purchaseId: string;
let invoiceRequestId: string;

type CommentBody = { id: string; requestId: string; authorId: string; body: string; createdAt: string };

const call = (who: string): Call => {
  const caller = as[who];
  if (!caller) throw new Error(`no caller ${who}`);
  return caller;
};

beforeAll(async () => {
  box = await startInProcessApp();
  ({ acme, globex, id, as, outsider } = await createApprovalsWorld(box));
  const pipeline = await jsonOf<{ id: string }>(
    await call("admin")("POST", "/api/v1/approval-pipelines", {
      name: "Lee then Ann",
      steps: [userStep("Lead", id.lee ?? ""), userStep("Manager", id.ann ?? "")],
    }),
    201,
  );
  purchaseId = await requestPurchase(call("mia"), pipeline.id);
  // An invoice's request: hidden from members who have no part in it.
  invoiceRequestId = startInvoiceRequest(box, contextFor(box, id.ann ?? "", acme.orgId), pipeline.id).id;
});
afterAll(() => box.close());

const comment = (who: string, requestId: string, body: string) =>
  call(who)("POST", `/api/v1/approvals/${requestId}/comments`, { body });

describe("POST /api/v1/approvals/{id}/comments", () => {
  test("the requester, an approver and a pipeline manager may comment; the thread lists them oldest first", async () => {
    for (const [who, body] of [
      ["mia", "Quote attached by mail."],
      ["lee", "Which supplier?"],
      ["admin", "Use the framework contract."],
    ] as const) {
      const created = await jsonOf<CommentBody>(await comment(who, purchaseId, body), 201);
      expect(created).toMatchObject({ requestId: purchaseId, authorId: id[who], body });
    }
    const page = await jsonOf<{ data: CommentBody[] }>(
      await call("max")("GET", `/api/v1/approvals/${purchaseId}/comments`),
      200,
    );
    expect(page.data.map((row) => row.body)).toEqual([
      "Quote attached by mail.",
      "Which supplier?",
      "Use the framework contract.",
    ]);
  });

  test("a member with no part in the request reads the thread but gets 403 writing; a viewer 403", async () => {
    const refused = await comment("max", purchaseId, "Me too");
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).message).toContain("requester");
    expect((await comment("vic", purchaseId, "Hello")).status).toBe(403);
  });

  test("another organisation's request is 404 for reading and writing", async () => {
    expect((await outsider("GET", `/api/v1/approvals/${purchaseId}/comments`)).status).toBe(404);
    const response = await outsider("POST", `/api/v1/approvals/${purchaseId}/comments`, { body: "Hi" });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("not_found");
  });

  test("an invoice's request is 404 to a member who has no part in it, both ways", async () => {
    expect((await call("max")("GET", `/api/v1/approvals/${invoiceRequestId}/comments`)).status).toBe(404);
    expect((await comment("max", invoiceRequestId, "Hi")).status).toBe(404);
    expect((await comment("lee", invoiceRequestId, "Checked the hours.")).status).toBe(201);
  });

  test("an empty comment is 422 on body", async () => {
    const response = await comment("mia", purchaseId, "   ");
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.[0]?.path).toBe("body");
  });

  test("a forged cursor is 422, not a page", async () => {
    const forged = Buffer.from(JSON.stringify([7])).toString("base64url");
    const response = await call("max")("GET", `/api/v1/approvals/${purchaseId}/comments?cursor=${forged}`);
    expect(response.status).toBe(422);
  });

  test("is in the OpenAPI document", async () => {
    const doc = (await (await box.fetch("/api/v1/openapi.json")).json()) as { paths: Record<string, object> };
    expect(Object.keys(doc.paths["/api/v1/approvals/{id}/comments"] ?? {}).sort()).toEqual(["get", "post"]);
  });
});

describe("history and notifications", () => {
  test("a comment is an approval.commented event that tells the requester, the current approvers and those mentioned", async () => {
    runNotifier(box.deps.db);
    await jsonOf(await comment("admin", purchaseId, "@max please get a second quote"), 201);
    const event = box.deps.db
      .select()
      .from(domainEvents)
      .where(and(eq(domainEvents.subjectId, purchaseId), eq(domainEvents.type, "approval.commented")))
      .all()
      .at(-1);
    expect(event?.summary).toEndWith("commented on “Forklift tyres”");
    runNotifier(box.deps.db);
    const told = box.deps.db
      .select({ userId: notifications.userId, kind: notifications.kind, title: notifications.title })
      .from(notifications)
      .where(eq(notifications.eventSeq, event?.seq ?? -1))
      .all();
    const byUser = new Map(told.map((row) => [row.userId, row]));
    expect([...byUser.keys()].sort()).toEqual([id.lee ?? "", id.max ?? "", id.mia ?? ""].sort());
    expect(byUser.get(id.mia ?? "")?.kind).toBe("approval_comment");
    expect(byUser.get(id.max ?? "")?.title).toContain("mentioned you on the request “Forklift tyres”");
    expect(byUser.get(id.lee ?? "")?.title).toContain("commented on the request “Forklift tyres”");
  });
});

describe("the request page's thread", () => {
  const cookie = (who: string) => sessionCookie(box, id[who] ?? "", acme.orgId);

  test("shows the comments and, to those who may comment, the form", async () => {
    const mine = await (await box.fetch(`/approvals/${purchaseId}`, { headers: { Cookie: cookie("mia") } })).text();
    expect(mine).toContain('id="approval-comments"');
    expect(mine).toContain("Which supplier?");
    expect(mine).toContain(`hx-post="/approvals/${purchaseId}/comments"`);
    const theirs = await (await box.fetch(`/approvals/${purchaseId}`, { headers: { Cookie: cookie("max") } })).text();
    expect(theirs).toContain("Which supplier?");
    expect(theirs).not.toContain(`hx-post="/approvals/${purchaseId}/comments"`);
  });

  test("a comment posted with htmx comes back in the thread, rendered, with an empty form", async () => {
    const response = await postForm(box, cookie("lee"), `/approvals/${purchaseId}/comments`, {
      body: "Tyres **ordered**",
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toStartWith('<section id="approval-comments"');
    expect(html).toContain("<strong>ordered</strong>");
  });

  test("an empty comment is 422 with the thread and the reason; someone with no part gets 403", async () => {
    const empty = await postForm(box, cookie("lee"), `/approvals/${purchaseId}/comments`, { body: " " });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Write a comment.");
    const refused = await postForm(box, cookie("max"), `/approvals/${purchaseId}/comments`, { body: "My two cents" });
    expect(refused.status).toBe(403);
  });

  test("another organisation's admin gets 404 posting to the thread", async () => {
    const other = sessionCookie(box, globex.adminId, globex.orgId);
    expect((await postForm(box, other, `/approvals/${purchaseId}/comments`, { body: "Hi" })).status).toBe(404);
  });
});
