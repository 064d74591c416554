import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "../http/logger.ts";
import { JobScheduler } from "../jobs/scheduler.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { type ApprovalBody, apiAs, jsonOf, userStep } from "../work/approvals/test-kit.ts";
import { agentJobs } from "./registry.ts";

const HOUR = 3_600_000;
let box: TestApp;
let acme: TestBox;
let annId = "";
let raised: ApprovalBody;
let fresh: ApprovalBody;

/** Runs the approval nudger once for the organisation, its clock `hoursLater` ahead. */
async function nudgeAt(hoursLater: number): Promise<void> {
  const { db, keyring, config } = box.deps;
  const log = createLogger("fatal");
  const at = new Date(Date.now() + hoursLater * HOUR);
  const scheduler = new JobScheduler({
    db,
    log,
    baseUrl: config.baseUrl,
    jobs: agentJobs({ db, log, keyring, baseUrl: config.baseUrl, dataDir: config.dataDir }),
    now: () => at,
  });
  scheduler.runNow("approval-nudger", acme.orgId);
  scheduler.tick();
  await scheduler.idle();
}

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  annId = await createUser(box, { orgId: acme.orgId, role: "manager", name: "Ann Manager", email: "ann@acme.test" });
  const admin = apiAs(box, acme.adminId, acme.orgId);
  await jsonOf(
    await admin("POST", "/api/v1/approval-pipelines", {
      name: "Purchases",
      subjectType: "purchase",
      steps: [userStep("Ann", annId)],
    }),
    201,
  );
  const purchase = async (title: string) =>
    jsonOf<ApprovalBody>(
      await admin("POST", "/api/v1/approvals", { subjectType: "purchase", title, amount: 12000, currency: "EUR" }),
      201,
    );
  raised = await purchase("Buy valves");
  expect((raised as ApprovalBody & { urgency: unknown }).urgency).toBeNull();
  await nudgeAt(50); // waiting 50 h: medium
  fresh = await purchase("Buy hoses");
});
afterAll(() => box.close());

describe("the approvals list and a request's page show the nudger's urgency", () => {
  test("a request the nudger raised shows its level on the list; one it did not rank shows none", async () => {
    const html = await (
      await box.fetch("/approvals?tab=all", { headers: { Cookie: sessionCookie(box, annId, acme.orgId) } })
    ).text();
    const row = (id: string) =>
      html.slice(html.indexOf(`id="approval-${id}"`), html.indexOf("</tr>", html.indexOf(id)));
    expect(row(raised.id)).toContain('class="approval-urgency approval-urgency-medium"');
    expect(row(raised.id)).toContain(">medium</span>");
    expect(row(fresh.id)).not.toContain("approval-urgency");
  });

  test("the request's own page shows the pending step's urgency with the same badge; another organisation gets 404", async () => {
    const pageOf = async (id: string, cookie = sessionCookie(box, annId, acme.orgId)) =>
      box.fetch(`/approvals/${id}`, { headers: { Cookie: cookie } });
    const raisedPage = await (await pageOf(raised.id)).text();
    const start = raisedPage.indexOf('class="approval-heading"');
    const heading = raisedPage.slice(start, raisedPage.indexOf("</header>", start));
    expect(heading).toContain('<span class="approval-urgency approval-urgency-medium"');
    expect(heading).toContain(">medium</span>");
    expect(await (await pageOf(fresh.id)).text()).not.toContain("approval-urgency");
    const globex = await createOrganization(box, "Globex");
    expect((await pageOf(raised.id, sessionCookie(box, globex.adminId, globex.orgId))).status).toBe(404);
  });

  test("the API answers the urgency on the list and the request; it goes once the request is decided", async () => {
    const ann = apiAs(box, annId, acme.orgId);
    const list = await jsonOf<{ data: { id: string; urgency: string | null }[] }>(
      await ann("GET", "/api/v1/approvals"),
      200,
    );
    expect(list.data.find((item) => item.id === raised.id)?.urgency).toBe("medium");
    expect(list.data.find((item) => item.id === fresh.id)?.urgency).toBeNull();
    const one = await jsonOf<{ urgency: string | null }>(await ann("GET", `/api/v1/approvals/${raised.id}`), 200);
    expect(one.urgency).toBe("medium");
    const decided = await ann("POST", `/api/v1/approvals/${raised.id}/decisions`, { decision: "approve" });
    expect((await jsonOf<{ request: { urgency: string | null } }>(decided, 201)).request.urgency).toBeNull();
  });

  test("the OpenAPI document describes the approval's urgency field", async () => {
    type Doc = {
      paths: Record<
        string,
        { get: { responses: Record<string, { content: Record<string, { schema: { properties: object } }> }> } }
      >;
    };
    const doc = (await (await box.fetch("/api/v1/openapi.json")).json()) as Doc;
    const request = doc.paths["/api/v1/approvals/{id}"]?.get.responses["200"]?.content["application/json"]?.schema;
    expect(request?.properties).toMatchObject({
      urgency: { anyOf: [{ type: "string", enum: ["low", "medium", "high", "critical"] }, { type: "null" }] },
    });
  });
});
