import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { domainEvents } from "../../../models/events.ts";
import { apiAs, type Call, errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import type { ProjectJson } from "./schemas.ts";

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
let admin: Call;
let manager: Call;
let teamLead: Call;
let viewer: Call;
let globexAdmin: Call;
let memberId: string;
let leadId: string;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
  memberId = await createUser(box, { orgId: acme.orgId, role: "member", name: "Mia Member" });
  leadId = await createUser(box, { orgId: acme.orgId, role: "team_lead", name: "Leo Lead" });
  const managerId = await createUser(box, { orgId: acme.orgId, role: "manager", name: "Max Manager" });
  const viewerId = await createUser(box, { orgId: acme.orgId, role: "viewer" });
  admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  manager = apiAs(box, sessionCookie(box, managerId, acme.orgId));
  teamLead = apiAs(box, sessionCookie(box, leadId, acme.orgId));
  viewer = apiAs(box, sessionCookie(box, viewerId, acme.orgId));
  globexAdmin = apiAs(box, sessionCookie(box, globex.adminId, globex.orgId));
});
afterAll(() => box.close());

async function create(body: Record<string, unknown>, as: Call = admin): Promise<ProjectJson> {
  const response = await as("POST", "/api/v1/projects", body);
  expect(response.status).toBe(201);
  return (await response.json()) as ProjectJson;
}

describe("POST /api/v1/projects", () => {
  test("creates a project: 201, Location, ETag, upper-case code, caller as owner, empty progress", async () => {
    const response = await manager("POST", "/api/v1/projects", {
      name: "Website",
      code: "web",
      memberIds: [memberId],
      startDate: "2026-03-01",
      targetDate: "2026-06-30",
    });
    expect(response.status).toBe(201);
    const project = (await response.json()) as ProjectJson;
    expect(project.id).toMatch(/^prj_/);
    expect(response.headers.get("Location")).toBe(`/api/v1/projects/${project.id}`);
    expect(response.headers.get("ETag")).toBeString();
    expect(project).toMatchObject({
      name: "Website",
      code: "WEB",
      status: "active",
      memberIds: [memberId],
      startDate: "2026-03-01",
      targetDate: "2026-06-30",
      progress: { total: 0, done: 0, percent: 0 },
    });
    expect(project.ownerId).not.toBeNull();
    const event = box.deps.db.select().from(domainEvents).where(eq(domainEvents.subjectId, project.id)).get();
    expect(event?.type).toBe("project.created");
    expect(event?.audience).toContain(memberId);
  });

  test("a code already used in the organisation is a 409 naming the field; another organisation may use it", async () => {
    await create({ name: "Fit-out", code: "FIT-OUT" });
    const response = await admin("POST", "/api/v1/projects", { name: "Again", code: "fit-out" });
    expect(response.status).toBe(409);
    const error = await errorOf(response);
    expect(error.code).toBe("conflict");
    expect(error.details?.[0]?.path).toBe("code");
    const elsewhere = await globexAdmin("POST", "/api/v1/projects", { name: "Theirs", code: "FIT-OUT" });
    expect(elsewhere.status).toBe(201);
  });

  test("refuses a target date before the start, a bad code and impossible days with 422 per field", async () => {
    const response = await admin("POST", "/api/v1/projects", {
      name: "Backwards",
      code: "BACK WARDS",
      startDate: "2026-05-01",
      targetDate: "2026-02-30",
    });
    expect(response.status).toBe(422);
    const paths = (await errorOf(response)).details?.map((detail) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(["code", "targetDate"]));
    const order = await admin("POST", "/api/v1/projects", {
      name: "Backwards",
      code: "BACK",
      startDate: "2026-05-01",
      targetDate: "2026-04-30",
    });
    expect(order.status).toBe(422);
    expect((await errorOf(order)).details?.[0]?.path).toBe("targetDate");
  });

  test("owner and members must be people of the organisation", async () => {
    const response = await admin("POST", "/api/v1/projects", {
      name: "Strangers",
      code: "STR",
      ownerId: globex.adminId,
      memberIds: [memberId, globex.adminId],
    });
    expect(response.status).toBe(422);
    const paths = (await errorOf(response)).details?.map((detail) => detail.path);
    expect(paths?.[0]).toBe("ownerId");
    const members = await admin("POST", "/api/v1/projects", { name: "S", code: "STR", memberIds: [globex.adminId] });
    expect((await errorOf(members)).details?.[0]?.path).toBe("memberIds.0");
  });
});

describe("GET /api/v1/projects", () => {
  test("filters by status, owner and text, and pages stably while projects are added", async () => {
    const mine = await create({ name: "Lead's garden", code: "GARDEN", ownerId: leadId }, manager);
    const byOwner = (await (await viewer("GET", `/api/v1/projects?ownerId=${leadId}`)).json()) as {
      data: ProjectJson[];
    };
    expect(byOwner.data.map((project) => project.id)).toEqual([mine.id]);
    const byText = (await (await viewer("GET", "/api/v1/projects?q=garD")).json()) as { data: ProjectJson[] };
    expect(byText.data.map((project) => project.code)).toEqual(["GARDEN"]);

    const first = (await (await viewer("GET", "/api/v1/projects?limit=2")).json()) as {
      data: ProjectJson[];
      nextCursor: string;
    };
    expect(first.data).toHaveLength(2);
    await create({ name: "Late arrival", code: "LATE" });
    const all: string[] = first.data.map((project) => project.id);
    let cursor: string | null = first.nextCursor;
    while (cursor) {
      const page = (await (await viewer("GET", `/api/v1/projects?limit=2&cursor=${cursor}`)).json()) as {
        data: ProjectJson[];
        nextCursor: string | null;
      };
      all.push(...page.data.map((project) => project.id));
      cursor = page.nextCursor;
    }
    expect(new Set(all).size).toBe(all.length);
    const everything = (await (await viewer("GET", "/api/v1/projects?limit=200")).json()) as { data: ProjectJson[] };
    const late = everything.data.find((project) => project.code === "LATE");
    expect(all).not.toContain(late?.id);
    expect(everything.data.filter((project) => project.id !== late?.id).map((project) => project.id)).toEqual(all);
  });

  test("status takes a comma-separated list; a bad value or cursor is a 422", async () => {
    const archived = await create({ name: "Old", code: "OLD", status: "archived" });
    const body = (await (await viewer("GET", "/api/v1/projects?status=active,on_hold&limit=200")).json()) as {
      data: ProjectJson[];
    };
    expect(body.data.map((project) => project.id)).not.toContain(archived.id);
    expect((await viewer("GET", "/api/v1/projects?status=done")).status).toBe(422);
    expect((await viewer("GET", "/api/v1/projects?cursor=nonsense")).status).toBe(422);
  });
});

describe("PATCH /api/v1/projects/:id", () => {
  test("changes fields with a fresh If-Match and answers 412 to a stale one", async () => {
    const project = await create({ name: "Boiler", code: "BOIL" });
    const read = await admin("GET", `/api/v1/projects/${project.id}`);
    const etag = read.headers.get("ETag") ?? "";
    expect((await admin("GET", `/api/v1/projects/${project.id}`, undefined, { "If-None-Match": etag })).status).toBe(
      304,
    );
    const changed = await admin("PATCH", `/api/v1/projects/${project.id}`, { status: "on_hold" }, { "If-Match": etag });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as ProjectJson).status).toBe("on_hold");
    expect(changed.headers.get("ETag")).not.toBe(etag);
    const stale = await admin("PATCH", `/api/v1/projects/${project.id}`, { name: "Boiler 2" }, { "If-Match": etag });
    expect(stale.status).toBe(412);
    expect((await errorOf(stale)).code).toBe("precondition_failed");
  });

  test("archiving publishes project.archived; a target before the stored start is a 422", async () => {
    const project = await create({ name: "Shed", code: "SHED", startDate: "2026-04-01" });
    const early = await admin("PATCH", `/api/v1/projects/${project.id}`, { targetDate: "2026-03-01" });
    expect(early.status).toBe(422);
    expect((await errorOf(early)).details?.[0]?.path).toBe("targetDate");
    const archived = await admin("PATCH", `/api/v1/projects/${project.id}`, { status: "archived" });
    expect(((await archived.json()) as ProjectJson).status).toBe("archived");
    const types = box.deps.db
      .select({ type: domainEvents.type })
      .from(domainEvents)
      .where(eq(domainEvents.subjectId, project.id))
      .all()
      .map((row) => row.type);
    expect(types).toEqual(["project.created", "project.archived"]);
  });

  test("changing the code to one in use is a 409", async () => {
    const project = await create({ name: "Taken", code: "TAKEN" });
    const response = await admin("PATCH", `/api/v1/projects/${project.id}`, { code: "WEB" });
    expect(response.status).toBe(409);
  });
});

describe("members", () => {
  test("PUT adds a person once, DELETE removes them, a stranger is a 404", async () => {
    const project = await create({ name: "Crew", code: "CREW" });
    const added = await admin("PUT", `/api/v1/projects/${project.id}/members/${leadId}`);
    expect(added.status).toBe(200);
    expect(((await added.json()) as ProjectJson).memberIds).toEqual([leadId]);
    const again = await admin("PUT", `/api/v1/projects/${project.id}/members/${leadId}`);
    expect(((await again.json()) as ProjectJson).memberIds).toEqual([leadId]);
    expect((await admin("PUT", `/api/v1/projects/${project.id}/members/${globex.adminId}`)).status).toBe(404);
    const removed = await admin("DELETE", `/api/v1/projects/${project.id}/members/${leadId}`);
    expect(((await removed.json()) as ProjectJson).memberIds).toEqual([]);
    expect((await admin("DELETE", `/api/v1/projects/${project.id}/members/${leadId}`)).status).toBe(404);
  });
});

describe("who may do what", () => {
  test("a team lead and a viewer read projects but get 403 on every change", async () => {
    const project = await create({ name: "Guarded", code: "GUARD" });
    for (const caller of [teamLead, viewer]) {
      expect((await caller("GET", `/api/v1/projects/${project.id}`)).status).toBe(200);
      const attempts = [
        await caller("POST", "/api/v1/projects", { name: "No", code: "NO" }),
        await caller("PATCH", `/api/v1/projects/${project.id}`, { status: "archived" }),
        await caller("PUT", `/api/v1/projects/${project.id}/members/${memberId}`),
        await caller("DELETE", `/api/v1/projects/${project.id}/members/${memberId}`),
      ];
      for (const response of attempts) {
        expect(response.status).toBe(403);
        expect((await errorOf(response)).code).toBe("forbidden");
      }
    }
  });

  test("another organisation's project is a 404 on every route", async () => {
    const theirs = (await (await globexAdmin("POST", "/api/v1/projects", { name: "Secret", code: "SEC" })).json()) as {
      id: string;
    };
    const attempts = [
      await admin("GET", `/api/v1/projects/${theirs.id}`),
      await admin("PATCH", `/api/v1/projects/${theirs.id}`, { name: "Mine now" }),
      await admin("PUT", `/api/v1/projects/${theirs.id}/members/${memberId}`),
      await admin("DELETE", `/api/v1/projects/${theirs.id}/members/${memberId}`),
    ];
    for (const response of attempts) {
      expect(response.status).toBe(404);
      expect((await errorOf(response)).code).toBe("not_found");
    }
    const list = (await (await admin("GET", "/api/v1/projects?limit=200")).json()) as { data: ProjectJson[] };
    expect(list.data.map((project) => project.id)).not.toContain(theirs.id);
  });
});
