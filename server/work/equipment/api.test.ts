import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { domainEvents } from "../../../models/events.ts";
import { apiAs, type Call, errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import type { EquipmentJson } from "./schemas.ts";

let box: TestApp;
let acme: TestBox;
let admin: Call;
let teamLead: Call;
let viewer: Call;
let globexAdmin: Call;
let projectId: string;
let globexProjectId: string;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  teamLead = apiAs(
    box,
    sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "team_lead" }), acme.orgId),
  );
  viewer = apiAs(box, sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "viewer" }), acme.orgId));
  globexAdmin = apiAs(box, sessionCookie(box, globex.adminId, globex.orgId));
  projectId = (
    (await (await admin("POST", "/api/v1/projects", { name: "Plant", code: "PLANT" })).json()) as { id: string }
  ).id;
  globexProjectId = (
    (await (await globexAdmin("POST", "/api/v1/projects", { name: "Theirs", code: "THEIRS" })).json()) as { id: string }
  ).id;
});
afterAll(() => box.close());

async function create(body: Record<string, unknown>): Promise<EquipmentJson> {
  const response = await admin("POST", "/api/v1/equipment", body);
  expect(response.status).toBe(201);
  return (await response.json()) as EquipmentJson;
}

describe("equipment", () => {
  test("POST records equipment with its project links and no manuals yet", async () => {
    const response = await admin("POST", "/api/v1/equipment", {
      name: "Boiler 1",
      type: "Boiler",
      manufacturer: "Vaillant",
      model: "ecoTEC plus",
      serialNumber: "VT-123",
      location: "Basement",
      purchaseDate: "2024-01-15",
      warrantyEnd: "2027-01-15",
      projectIds: [projectId],
    });
    expect(response.status).toBe(201);
    const item = (await response.json()) as EquipmentJson;
    expect(item.id).toMatch(/^eqp_/);
    expect(response.headers.get("Location")).toBe(`/api/v1/equipment/${item.id}`);
    expect(item).toMatchObject({
      name: "Boiler 1",
      status: "in_service",
      projectIds: [projectId],
      manuals: [],
      warrantyEnd: "2027-01-15",
    });
    const event = box.deps.db.select().from(domainEvents).where(eq(domainEvents.subjectId, item.id)).get();
    expect(event?.type).toBe("equipment.created");
  });

  test("a warranty ending before the purchase, a bad status and another organisation's project are 422s", async () => {
    const dates = await admin("POST", "/api/v1/equipment", {
      name: "Van",
      purchaseDate: "2025-05-01",
      warrantyEnd: "2025-04-01",
    });
    expect(dates.status).toBe(422);
    expect((await errorOf(dates)).details?.[0]?.path).toBe("warrantyEnd");
    const status = await admin("POST", "/api/v1/equipment", { name: "Van", status: "broken" });
    expect((await errorOf(status)).details?.[0]?.path).toBe("status");
    const project = await admin("POST", "/api/v1/equipment", { name: "Van", projectIds: [globexProjectId] });
    expect(project.status).toBe(422);
    expect((await errorOf(project)).details?.[0]?.path).toBe("projectIds.0");
  });

  test("PATCH honours If-Match, checks the warranty against the stored purchase date and publishes equipment.updated", async () => {
    const item = await create({ name: "Drill", purchaseDate: "2025-01-01" });
    const etag = (await admin("GET", `/api/v1/equipment/${item.id}`)).headers.get("ETag") ?? "";
    const early = await admin("PATCH", `/api/v1/equipment/${item.id}`, { warrantyEnd: "2024-12-31" });
    expect((await errorOf(early)).details?.[0]?.path).toBe("warrantyEnd");
    const repaired = await admin(
      "PATCH",
      `/api/v1/equipment/${item.id}`,
      { status: "in_repair" },
      { "If-Match": etag },
    );
    expect(repaired.status).toBe(200);
    expect(((await repaired.json()) as EquipmentJson).status).toBe("in_repair");
    const stale = await admin("PATCH", `/api/v1/equipment/${item.id}`, { status: "retired" }, { "If-Match": etag });
    expect(stale.status).toBe(412);
    const events = box.deps.db.select().from(domainEvents).where(eq(domainEvents.subjectId, item.id)).all();
    expect(events.map((event) => event.type)).toEqual(["equipment.created", "equipment.updated"]);
  });

  test("projects are linked with PUT, unlinked with DELETE; unknown or foreign projects are 404s", async () => {
    const item = await create({ name: "Ladder" });
    const linked = await admin("PUT", `/api/v1/equipment/${item.id}/projects/${projectId}`);
    expect(((await linked.json()) as EquipmentJson).projectIds).toEqual([projectId]);
    expect((await admin("PUT", `/api/v1/equipment/${item.id}/projects/${globexProjectId}`)).status).toBe(404);
    const unlinked = await admin("DELETE", `/api/v1/equipment/${item.id}/projects/${projectId}`);
    expect(((await unlinked.json()) as EquipmentJson).projectIds).toEqual([]);
    expect((await admin("DELETE", `/api/v1/equipment/${item.id}/projects/${projectId}`)).status).toBe(404);
  });

  test("DELETE answers 204 and publishes equipment.deleted", async () => {
    const item = await create({ name: "Old printer" });
    expect((await admin("DELETE", `/api/v1/equipment/${item.id}`)).status).toBe(204);
    expect((await admin("GET", `/api/v1/equipment/${item.id}`)).status).toBe(404);
    const types = box.deps.db
      .select({ type: domainEvents.type })
      .from(domainEvents)
      .where(eq(domainEvents.subjectId, item.id))
      .all()
      .map((row) => row.type);
    expect(types).toContain("equipment.deleted");
  });

  test("GET filters by status, type, location and text, and pages stably while equipment is added", async () => {
    await create({
      name: "Forklift",
      type: "Vehicle",
      location: "Yard",
      status: "out_of_service",
      serialNumber: "FL-9",
    });
    const byStatus = (await (await viewer("GET", "/api/v1/equipment?status=out_of_service")).json()) as {
      data: EquipmentJson[];
    };
    expect(byStatus.data.map((item) => item.name)).toEqual(["Forklift"]);
    const byType = (await (await viewer("GET", "/api/v1/equipment?type=vehicle&location=yard")).json()) as {
      data: EquipmentJson[];
    };
    expect(byType.data.map((item) => item.name)).toEqual(["Forklift"]);
    const bySerial = (await (await viewer("GET", "/api/v1/equipment?q=fl-9")).json()) as { data: EquipmentJson[] };
    expect(bySerial.data.map((item) => item.name)).toEqual(["Forklift"]);

    const first = (await (await viewer("GET", "/api/v1/equipment?limit=2")).json()) as {
      data: EquipmentJson[];
      nextCursor: string;
    };
    await create({ name: "Newcomer" });
    const rest = (await (await viewer("GET", `/api/v1/equipment?limit=200&cursor=${first.nextCursor}`)).json()) as {
      data: EquipmentJson[];
    };
    const seen = [...first.data, ...rest.data].map((item) => item.name);
    expect(seen).not.toContain("Newcomer");
    expect(new Set(seen).size).toBe(seen.length);
    const all = (await (await viewer("GET", "/api/v1/equipment?limit=200")).json()) as { data: EquipmentJson[] };
    expect(all.data.map((item) => item.name).filter((name) => name !== "Newcomer")).toEqual(seen);
  });

  test("a team lead and a viewer read equipment but get 403 on every change", async () => {
    const item = await create({ name: "Guarded" });
    for (const caller of [teamLead, viewer]) {
      expect((await caller("GET", `/api/v1/equipment/${item.id}`)).status).toBe(200);
      for (const response of [
        await caller("POST", "/api/v1/equipment", { name: "Mine" }),
        await caller("PATCH", `/api/v1/equipment/${item.id}`, { name: "Mine" }),
        await caller("DELETE", `/api/v1/equipment/${item.id}`),
        await caller("PUT", `/api/v1/equipment/${item.id}/projects/${projectId}`),
        await caller("DELETE", `/api/v1/equipment/${item.id}/projects/${projectId}`),
      ]) {
        expect(response.status).toBe(403);
      }
    }
  });

  test("another organisation's equipment is a 404 everywhere", async () => {
    const theirs = (await (await globexAdmin("POST", "/api/v1/equipment", { name: "Their boiler" })).json()) as {
      id: string;
    };
    for (const response of [
      await admin("GET", `/api/v1/equipment/${theirs.id}`),
      await admin("PATCH", `/api/v1/equipment/${theirs.id}`, { name: "Ours" }),
      await admin("DELETE", `/api/v1/equipment/${theirs.id}`),
      await admin("PUT", `/api/v1/equipment/${theirs.id}/projects/${projectId}`),
      await admin("DELETE", `/api/v1/equipment/${theirs.id}/projects/${projectId}`),
    ]) {
      expect(response.status).toBe(404);
    }
    const list = (await (await admin("GET", "/api/v1/equipment?limit=200")).json()) as { data: EquipmentJson[] };
    expect(list.data.map((item) => item.id)).not.toContain(theirs.id);
  });
});

describe("OpenAPI", () => {
  test("documents every projects, teams and equipment route with a summary and its tag, and says manuals wait for the knowledge base", async () => {
    const doc = (await (await box.fetch("/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, { summary?: string; description?: string; tags?: string[] }>>;
    };
    const ours = Object.entries(doc.paths).filter(([path]) => /^\/api\/v1\/(projects|teams|equipment)/.test(path));
    expect(ours.length).toBe(9);
    const tagOf: Record<string, string> = { projects: "Projects", teams: "Teams", equipment: "Equipment" };
    for (const [path, operations] of ours) {
      for (const operation of Object.values(operations)) {
        expect(operation.summary).toBeString();
        expect(operation.tags).toEqual([tagOf[path.split("/")[3] ?? ""] ?? ""]);
      }
    }
    expect(doc.paths["/api/v1/equipment/{id}"]?.get?.description).toContain("knowledge base");
  });
});
