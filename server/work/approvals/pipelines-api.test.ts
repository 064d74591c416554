import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { customRoles } from "../../../models/identity.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { newId } from "../../tools/ids.ts";
import { apiAs, type Call, errorOf, jsonOf, roleStep, type StepBody, userStep } from "./test-kit.ts";

type PipelineBody = {
  id: string;
  name: string;
  subjectType: string | null;
  description: string;
  steps: StepBody[];
  archivedAt: string | null;
};

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
let admin: Call;
let manager: Call;
let lead: Call;
let viewer: Call;
let outsider: Call;
let leadId: string;
let viewerId: string;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
  admin = apiAs(box, acme.adminId, acme.orgId);
  manager = apiAs(box, await createUser(box, { orgId: acme.orgId, role: "manager" }), acme.orgId);
  leadId = await createUser(box, { orgId: acme.orgId, role: "team_lead", name: "Lee Lead" });
  lead = apiAs(box, leadId, acme.orgId);
  viewerId = await createUser(box, { orgId: acme.orgId, role: "viewer" });
  viewer = apiAs(box, viewerId, acme.orgId);
  outsider = apiAs(box, globex.adminId, globex.orgId);
});
afterAll(() => box.close());

const purchases = { name: "Purchases", subjectType: "purchase", steps: [roleStep("Manager", "manager")] };

describe("POST /api/v1/approval-pipelines", () => {
  test("creates a pipeline with ordered steps: 201, ETag, Location", async () => {
    const response = await manager("POST", "/api/v1/approval-pipelines", {
      name: "Big purchases",
      subjectType: "purchase",
      description: "Over 1000 EUR",
      steps: [userStep("Lead first", leadId), roleStep("All managers", "manager", "all")],
    });
    const body = await jsonOf<PipelineBody>(response, 201);
    expect(body.id).toMatch(/^apl_/);
    expect(response.headers.get("ETag")).toBeString();
    expect(response.headers.get("Location")).toBe(`/api/v1/approval-pipelines/${body.id}`);
    expect(body).toMatchObject({ name: "Big purchases", subjectType: "purchase", archivedAt: null });
    expect(body.steps).toEqual([
      { name: "Lead first", approverType: "user", approverUserId: leadId, approverRole: null, rule: "any" },
      { name: "All managers", approverType: "role", approverUserId: null, approverRole: "manager", rule: "all" },
    ]);
  });

  test("refuses unknown people, unknown roles, roles that cannot decide and duplicate names (422 with paths)", async () => {
    const response = await admin("POST", "/api/v1/approval-pipelines", {
      name: "Broken",
      steps: [
        userStep("Nobody", "usr_00000000000000000000000000"),
        roleStep("Ghosts", "rol_00000000000000000000000000"),
        roleStep("Viewers", "viewer"),
        userStep("A viewer", viewerId),
      ],
    });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.map((detail) => detail.path)).toEqual([
      "steps.0.approverUserId",
      "steps.1.approverRole",
      "steps.2.approverRole",
      "steps.3.approverUserId",
    ]);
    const taken = await admin("POST", "/api/v1/approval-pipelines", { ...purchases, name: "Invoice approval" });
    expect(taken.status).toBe(422);
    expect((await errorOf(taken)).details?.[0]?.path).toBe("name");
    const empty = await admin("POST", "/api/v1/approval-pipelines", { name: "Empty", steps: [] });
    expect((await errorOf(empty)).details?.[0]?.path).toBe("steps");
    const tooMany = await admin("POST", "/api/v1/approval-pipelines", {
      name: "Long",
      steps: Array.from({ length: 11 }, (_, index) => roleStep(`Step ${index}`, "manager")),
    });
    expect(tooMany.status).toBe(422);
    const noRole = await admin("POST", "/api/v1/approval-pipelines", {
      name: "X",
      steps: [{ name: "R", approverType: "role" }],
    });
    expect((await errorOf(noRole)).details?.[0]?.path).toBe("steps.0.approverRole");
  });

  test("a custom role of the organisation may approve when it holds approvals.decide", async () => {
    const roleId = newId("rol");
    box.deps.db
      .insert(customRoles)
      .values({ id: roleId, orgId: acme.orgId, name: "Buyer", permissions: ["workspace.read", "approvals.decide"] })
      .run();
    const response = await admin("POST", "/api/v1/approval-pipelines", {
      name: "Buyers",
      steps: [roleStep("Buyer", roleId)],
    });
    expect(response.status).toBe(201);
    const elsewhere = await outsider("POST", "/api/v1/approval-pipelines", {
      name: "Buyers",
      steps: [roleStep("B", roleId)],
    });
    expect((await errorOf(elsewhere)).details?.[0]?.path).toBe("steps.0.approverRole");
  });

  test("people without projects.manage get 403", async () => {
    for (const call of [lead, viewer]) {
      expect((await call("POST", "/api/v1/approval-pipelines", purchases)).status).toBe(403);
    }
  });
});

describe("GET, PATCH and DELETE /api/v1/approval-pipelines/:id", () => {
  test("PATCH replaces the steps wholesale and honours If-Match (412 when stale)", async () => {
    const created = await admin("POST", "/api/v1/approval-pipelines", { ...purchases, name: "Editable" });
    const { id } = await jsonOf<PipelineBody>(created, 201);
    const read = await viewer("GET", `/api/v1/approval-pipelines/${id}`);
    const etag = read.headers.get("ETag") ?? "";
    await read.body?.cancel();
    expect((await viewer("GET", `/api/v1/approval-pipelines/${id}`, undefined, { "If-None-Match": etag })).status).toBe(
      304,
    );
    const patched = await manager(
      "PATCH",
      `/api/v1/approval-pipelines/${id}`,
      { steps: [roleStep("Lead", "team_lead"), roleStep("Admin", "admin")], description: "Now two steps" },
      { "If-Match": etag },
    );
    const body = await jsonOf<PipelineBody>(patched, 200);
    expect(body.steps.map((step) => step.name)).toEqual(["Lead", "Admin"]);
    expect(body.description).toBe("Now two steps");
    const stale = await manager("PATCH", `/api/v1/approval-pipelines/${id}`, { name: "Renamed" }, { "If-Match": etag });
    expect(stale.status).toBe(412);
    expect((await errorOf(stale)).code).toBe("precondition_failed");
    expect((await lead("PATCH", `/api/v1/approval-pipelines/${id}`, { name: "Mine" })).status).toBe(403);
    expect((await manager("PATCH", `/api/v1/approval-pipelines/${id}`, {})).status).toBe(422);
  });

  test("DELETE archives: the pipeline leaves the list and takes no new requests (409)", async () => {
    const { id } = await jsonOf<PipelineBody>(
      await admin("POST", "/api/v1/approval-pipelines", { ...purchases, name: "Old" }),
      201,
    );
    expect((await lead("DELETE", `/api/v1/approval-pipelines/${id}`)).status).toBe(403);
    const archived = await jsonOf<PipelineBody>(await manager("DELETE", `/api/v1/approval-pipelines/${id}`), 200);
    expect(archived.archivedAt).toBeString();
    const list = await jsonOf<{ data: PipelineBody[] }>(await viewer("GET", "/api/v1/approval-pipelines"), 200);
    expect(list.data.map((row) => row.id)).not.toContain(id);
    const all = await jsonOf<{ data: PipelineBody[] }>(
      await viewer("GET", "/api/v1/approval-pipelines?includeArchived=true"),
      200,
    );
    expect(all.data.map((row) => row.id)).toContain(id);
    const refused = await manager("POST", "/api/v1/approvals", {
      subjectType: "purchase",
      title: "Chair",
      amount: 100,
      currency: "EUR",
      pipelineId: id,
    });
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).message).toContain("archived");
  });

  test("lists by name with a keyset cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page: { data: PipelineBody[]; nextCursor: string | null } = await jsonOf(
        await viewer("GET", `/api/v1/approval-pipelines${query}`),
        200,
      );
      seen.push(...page.data.map((row) => row.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toContain("Invoice approval");
    expect(new Set(seen).size).toBe(seen.length);
  });

  test("another organisation's pipeline is 404 for every verb", async () => {
    const { id } = await jsonOf<PipelineBody>(
      await admin("POST", "/api/v1/approval-pipelines", { ...purchases, name: "Ours" }),
      201,
    );
    expect((await outsider("GET", `/api/v1/approval-pipelines/${id}`)).status).toBe(404);
    expect((await outsider("PATCH", `/api/v1/approval-pipelines/${id}`, { name: "Theirs" })).status).toBe(404);
    expect((await outsider("DELETE", `/api/v1/approval-pipelines/${id}`)).status).toBe(404);
    const theirs = await jsonOf<{ data: PipelineBody[] }>(await outsider("GET", "/api/v1/approval-pipelines"), 200);
    expect(theirs.data).toEqual([]);
    const usedElsewhere = await outsider("POST", "/api/v1/approvals", {
      subjectType: "purchase",
      title: "Desk",
      amount: 1,
      currency: "EUR",
      pipelineId: id,
    });
    expect((await errorOf(usedElsewhere)).details?.[0]?.path).toBe("pipelineId");
  });
});
