import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { postForm } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { type ApprovalBody, apiAs, jsonOf, roleStep } from "./test-kit.ts";

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
const id: Record<string, string> = {};
const cookie: Record<string, string> = {};
let purchasesId = "";

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
  id.admin = acme.adminId;
  for (const [key, role, name] of [
    ["ann", "manager", "Ann Manager"],
    ["lee", "team_lead", "Lee Lead"],
    ["mia", "member", "Mia Member"],
  ] as const) {
    id[key] = await createUser(box, { orgId: acme.orgId, role, name, email: `${key}@acme.test` });
  }
  for (const key of Object.keys(id)) cookie[key] = sessionCookie(box, id[key] ?? "", acme.orgId);
  cookie.outsider = sessionCookie(box, globex.adminId, globex.orgId);
  const created = await apiAs(box, acme.adminId, acme.orgId)("POST", "/api/v1/approval-pipelines", {
    name: "Purchases",
    subjectType: "purchase",
    steps: [roleStep("Manager", "manager")],
  });
  purchasesId = (await jsonOf<{ id: string }>(created, 201)).id;
});
afterAll(() => box.close());

function page(who: string, path: string) {
  return box.fetch(path, { headers: { Cookie: cookie[who] ?? "" } });
}

async function startPurchase(title: string): Promise<ApprovalBody> {
  const response = await apiAs(box, id.mia ?? "", acme.orgId)("POST", "/api/v1/approvals", {
    subjectType: "purchase",
    title,
    amount: 129950,
    currency: "EUR",
  });
  return jsonOf<ApprovalBody>(response, 201);
}

describe("/approvals lists", () => {
  test("'Waiting on me' is the default tab and says what to do when empty", async () => {
    const html = await (await page("lee", "/approvals")).text();
    expect(html).toContain('aria-current="page">Waiting on me');
    expect(html).toContain("Nothing is waiting on you.");
    const mine = await (await page("lee", "/approvals?tab=mine")).text();
    expect(mine).toContain("You have not asked for any approvals yet.");
  });

  test("a manager sees a request waiting on them; the requester finds it under 'Requested by me'", async () => {
    const request = await startPurchase("Pallet jack");
    expect(await (await page("ann", "/approvals")).text()).toContain(`href="/approvals/${request.id}">Pallet jack`);
    expect(await (await page("mia", "/approvals")).text()).not.toContain("Pallet jack");
    const mine = await (await page("mia", "/approvals?tab=mine")).text();
    expect(mine).toContain("Pallet jack");
    expect(mine).toContain("€1,299.50");
  });

  test("a decision taken after the list was drawn shows on the next view of it", async () => {
    const request = await startPurchase("Forklift battery");
    expect(await (await page("ann", "/approvals")).text()).toContain("Forklift battery");
    expect(await (await page("ann", "/approvals")).text()).toContain("Forklift battery");
    const decided = await postForm(box, cookie.ann ?? "", `/approvals/${request.id}/decide`, {
      decision: "approve",
      comment: "",
      stepIndex: "0",
    });
    expect(decided.headers.get("HX-Redirect")).toBe(`/approvals/${request.id}?notice=approve`);
    expect(await (await page("ann", "/approvals")).text()).not.toContain("Forklift battery");
    expect(await (await page("ann", "/approvals?tab=all")).text()).toContain("Forklift battery");
  });
});

describe("/approvals/new", () => {
  test("a refused form keeps what was typed (422); a good one redirects to the new request", async () => {
    const refused = await postForm(box, cookie.mia ?? "", "/approvals/new", {
      subjectType: "purchase",
      title: "Ladder",
      amount: "12.345",
      currency: "EUR",
      details: "Aluminium, 3 m",
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('value="Ladder"');
    expect(html).toContain('value="12.345"');
    expect(html).toContain("Aluminium, 3 m");
    expect(html).toContain("Enter an amount such as 1299.50.");
    const saved = await postForm(box, cookie.mia ?? "", "/approvals/new", {
      subjectType: "purchase",
      title: "Ladder",
      amount: "89.90",
      currency: "eur",
      pipelineId: purchasesId,
    });
    expect(saved.status).toBe(200);
    expect(saved.headers.get("HX-Redirect")).toMatch(/^\/approvals\/apr_/);
  });

  test("without a pipeline for free-form requests the form says to create one (409)", async () => {
    const response = await postForm(box, cookie.mia ?? "", "/approvals/new", {
      subjectType: "other",
      title: "Offsite",
    });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("Create one under Approvals → Pipelines");
  });
});

describe("/approvals/:id", () => {
  test("only a current approver sees the decision form; the requester sees cancel", async () => {
    const request = await startPurchase("Label printer");
    const forAnn = await (await page("ann", `/approvals/${request.id}`)).text();
    expect(forAnn).toContain('id="decision-form"');
    expect(forAnn).toContain("Step 1 of 1");
    expect(forAnn).toContain("Waiting on Ann Manager.");
    const forMia = await (await page("mia", `/approvals/${request.id}`)).text();
    expect(forMia).not.toContain('id="decision-form"');
    expect(forMia).toContain("Cancel this request");
    expect(await (await page("lee", `/approvals/${request.id}`)).text()).not.toContain('id="decision-form"');
  });

  test("deciding out of turn shows why (403); approving redirects and the timeline shows the comment", async () => {
    const request = await startPurchase("Drill");
    const early = await postForm(box, cookie.lee ?? "", `/approvals/${request.id}/decide`, {
      decision: "approve",
      comment: "me?",
      stepIndex: "0",
    });
    expect(early.status).toBe(403);
    expect(await early.text()).toContain("You are not an approver of the current step");
    const done = await postForm(box, cookie.ann ?? "", `/approvals/${request.id}/decide`, {
      decision: "approve",
      comment: "Buy the cordless one",
      stepIndex: "0",
    });
    expect(done.headers.get("HX-Redirect")).toBe(`/approvals/${request.id}?notice=approve`);
    const html = await (await page("mia", `/approvals/${request.id}?notice=approve`)).text();
    expect(html).toContain("Buy the cordless one");
    expect(html).toContain("Approved after 1 of 1 steps");
    const twice = await postForm(box, cookie.ann ?? "", `/approvals/${request.id}/decide`, {
      decision: "approve",
      stepIndex: "0",
    });
    expect(twice.status).toBe(409);
  });

  test("the requester cancels from the page", async () => {
    const request = await startPurchase("Paint");
    const response = await postForm(box, cookie.mia ?? "", `/approvals/${request.id}/cancel`, {});
    expect(response.headers.get("HX-Redirect")).toBe(`/approvals/${request.id}?notice=cancel`);
    expect(await (await page("mia", `/approvals/${request.id}`)).text()).toContain("cancelled the request");
  });

  test("another organisation's request and pipeline are 404", async () => {
    const request = await startPurchase("Secret");
    expect((await page("outsider", `/approvals/${request.id}`)).status).toBe(404);
    expect((await page("outsider", `/approvals/pipelines/${purchasesId}`)).status).toBe(404);
    const decide = await postForm(box, cookie.outsider ?? "", `/approvals/${request.id}/decide`, {
      decision: "approve",
    });
    expect(decide.status).toBe(404);
  });
});

describe("/approvals/pipelines", () => {
  test("lists the seeded pipelines for managers; team leads get 403", async () => {
    const html = await (await page("ann", "/approvals/pipelines")).text();
    expect(html).toContain("Invoice approval");
    expect(html).toContain("Manager (any one Manager)");
    expect((await page("lee", "/approvals/pipelines")).status).toBe(403);
    expect(await (await page("lee", "/approvals")).text()).not.toContain('href="/approvals/pipelines"');
  });

  test("the editor adds, moves and removes rows without saving, then saves; 422 keeps the rows", async () => {
    const base = {
      name: "Tools",
      subjectType: "purchase",
      description: "",
      stepCount: "2",
      "steps.0.name": "Lead",
      "steps.0.approver": "role:team_lead",
      "steps.0.rule": "any",
      "steps.1.name": "Ann",
      "steps.1.approver": `user:${id.ann}`,
      "steps.1.rule": "any",
    };
    const added = await (await postForm(box, cookie.ann ?? "", "/approvals/pipelines", { ...base, op: "add" })).text();
    expect(added).toContain('name="steps.2.name"');
    const moved = await (await postForm(box, cookie.ann ?? "", "/approvals/pipelines", { ...base, op: "up-1" })).text();
    expect(moved.indexOf('value="Ann"')).toBeLessThan(moved.indexOf('value="Lead"'));
    const removed = await (
      await postForm(box, cookie.ann ?? "", "/approvals/pipelines", { ...base, op: "remove-0" })
    ).text();
    expect(removed).not.toContain('value="Lead"');
    expect(removed).toContain('name="stepCount" value="1"');
    const invalid = await postForm(box, cookie.ann ?? "", "/approvals/pipelines", { ...base, "steps.1.approver": "" });
    expect(invalid.status).toBe(422);
    const invalidHtml = await invalid.text();
    expect(invalidHtml).toContain("Choose the role that approves.");
    expect(invalidHtml).toContain('value="Lead"');
    const saved = await postForm(box, cookie.ann ?? "", "/approvals/pipelines", base);
    expect(saved.headers.get("HX-Redirect")).toBe("/approvals/pipelines?notice=saved");
    expect(await (await page("ann", "/approvals/pipelines")).text()).toContain(
      "Lead (any one Team Lead) → Ann (Ann Manager)",
    );
  });

  test("saving over someone else's change is refused (412) with the typed values kept", async () => {
    const api = apiAs(box, acme.adminId, acme.orgId);
    const created = await jsonOf<{ id: string }>(
      await api("POST", "/api/v1/approval-pipelines", { name: "Raced", steps: [roleStep("Admin", "admin")] }),
      201,
    );
    const editor = await (await page("ann", `/approvals/pipelines/${created.id}`)).text();
    const etag = (/name="etag" value="([^"]+)"/.exec(editor)?.[1] ?? "").replaceAll("&quot;", '"');
    expect(etag).not.toBe("");
    await api("PATCH", `/api/v1/approval-pipelines/${created.id}`, { description: "changed elsewhere" });
    const response = await postForm(box, cookie.ann ?? "", `/approvals/pipelines/${created.id}`, {
      etag,
      name: "Raced again",
      subjectType: "",
      description: "",
      stepCount: "1",
      "steps.0.name": "Admin",
      "steps.0.approver": "role:admin",
      "steps.0.rule": "any",
    });
    expect(response.status).toBe(412);
    const html = await response.text();
    expect(html).toContain("Someone changed this pipeline since you opened it.");
    expect(html).toContain('value="Raced again"');
  });

  test("archiving from the editor redirects to the list", async () => {
    const response = await postForm(box, cookie.ann ?? "", `/approvals/pipelines/${purchasesId}/archive`, {});
    expect(response.headers.get("HX-Redirect")).toBe("/approvals/pipelines?notice=archived");
    expect(await (await page("ann", "/approvals/pipelines")).text()).toContain("Archived pipelines (1)");
  });
});
