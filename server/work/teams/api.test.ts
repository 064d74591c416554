import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { domainEvents } from "../../../models/events.ts";
import { apiAs, type Call, errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { leadsTeamOf, memberIdsLedBy, teamLeadsOf } from "./membership.ts";
import type { TeamJson } from "./schemas.ts";

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
let admin: Call;
let teamLead: Call;
let member: Call;
let globexAdmin: Call;
let leadId: string;
let otherLeadId: string;
let aliceId: string;
let bobId: string;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
  leadId = await createUser(box, { orgId: acme.orgId, role: "team_lead", name: "Leo Lead" });
  otherLeadId = await createUser(box, { orgId: acme.orgId, role: "team_lead", name: "Lia Lead" });
  aliceId = await createUser(box, { orgId: acme.orgId, role: "member", name: "Alice" });
  bobId = await createUser(box, { orgId: acme.orgId, role: "member", name: "Bob" });
  admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  teamLead = apiAs(box, sessionCookie(box, leadId, acme.orgId));
  member = apiAs(box, sessionCookie(box, aliceId, acme.orgId));
  globexAdmin = apiAs(box, sessionCookie(box, globex.adminId, globex.orgId));
});
afterAll(() => box.close());

async function create(body: Record<string, unknown>): Promise<TeamJson> {
  const response = await admin("POST", "/api/v1/teams", body);
  expect(response.status).toBe(201);
  return (await response.json()) as TeamJson;
}

describe("teams", () => {
  test("POST creates a team with lead and members: 201, Location, ETag and team.created", async () => {
    const response = await admin("POST", "/api/v1/teams", { name: "Field crew", leadId, memberIds: [aliceId, bobId] });
    expect(response.status).toBe(201);
    const team = (await response.json()) as TeamJson;
    expect(team).toMatchObject({ name: "Field crew", leadId, memberIds: [aliceId, bobId] });
    expect(team.id).toMatch(/^tem_/);
    expect(response.headers.get("Location")).toBe(`/api/v1/teams/${team.id}`);
    expect(response.headers.get("ETag")).toBeString();
    const event = box.deps.db.select().from(domainEvents).where(eq(domainEvents.subjectId, team.id)).get();
    expect(event?.type).toBe("team.created");
  });

  test("a name in use (ignoring case) is a 409 on `name`; people must belong to the organisation", async () => {
    await create({ name: "Office" });
    const taken = await admin("POST", "/api/v1/teams", { name: "office" });
    expect(taken.status).toBe(409);
    expect((await errorOf(taken)).details?.[0]?.path).toBe("name");
    const stranger = await admin("POST", "/api/v1/teams", { name: "Mixed", leadId: globex.adminId });
    expect(stranger.status).toBe(422);
    expect((await errorOf(stranger)).details?.[0]?.path).toBe("leadId");
    const strangers = await admin("POST", "/api/v1/teams", { name: "Mixed", memberIds: [aliceId, globex.adminId] });
    expect((await errorOf(strangers)).details?.[0]?.path).toBe("memberIds.1");
  });

  test("PATCH honours If-Match (412 when stale) and publishes team.updated", async () => {
    const team = await create({ name: "Workshop", leadId });
    const etag = (await admin("GET", `/api/v1/teams/${team.id}`)).headers.get("ETag") ?? "";
    const renamed = await admin("PATCH", `/api/v1/teams/${team.id}`, { name: "Workshop A" }, { "If-Match": etag });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as TeamJson).name).toBe("Workshop A");
    const stale = await admin("PATCH", `/api/v1/teams/${team.id}`, { leadId: otherLeadId }, { "If-Match": etag });
    expect(stale.status).toBe(412);
    const types = box.deps.db
      .select({ type: domainEvents.type })
      .from(domainEvents)
      .where(eq(domainEvents.subjectId, team.id))
      .all()
      .map((row) => row.type);
    expect(types).toEqual(["team.created", "team.updated"]);
  });

  test("members are added once with PUT and removed with DELETE; DELETE of the team answers 204", async () => {
    const team = await create({ name: "Night shift" });
    expect(
      ((await (await admin("PUT", `/api/v1/teams/${team.id}/members/${bobId}`)).json()) as TeamJson).memberIds,
    ).toEqual([bobId]);
    await admin("PUT", `/api/v1/teams/${team.id}/members/${bobId}`);
    expect((await admin("PUT", `/api/v1/teams/${team.id}/members/${globex.adminId}`)).status).toBe(404);
    const removed = await admin("DELETE", `/api/v1/teams/${team.id}/members/${bobId}`);
    expect(((await removed.json()) as TeamJson).memberIds).toEqual([]);
    expect((await admin("DELETE", `/api/v1/teams/${team.id}`)).status).toBe(204);
    expect((await admin("GET", `/api/v1/teams/${team.id}`)).status).toBe(404);
  });

  test("GET lists teams by name with a stable cursor while teams are added", async () => {
    const first = (await (await member("GET", "/api/v1/teams?limit=1")).json()) as {
      data: TeamJson[];
      nextCursor: string;
    };
    await create({ name: "Aardvarks" });
    const rest = (await (await member("GET", `/api/v1/teams?limit=200&cursor=${first.nextCursor}`)).json()) as {
      data: TeamJson[];
    };
    const names = [...first.data, ...rest.data].map((team) => team.name);
    expect(names).not.toContain("Aardvarks");
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
  });

  test("a team lead and a member may read teams but get 403 on every change", async () => {
    const team = await create({ name: "Guarded" });
    for (const caller of [teamLead, member]) {
      expect((await caller("GET", `/api/v1/teams/${team.id}`)).status).toBe(200);
      for (const response of [
        await caller("POST", "/api/v1/teams", { name: "Mine" }),
        await caller("PATCH", `/api/v1/teams/${team.id}`, { name: "Mine" }),
        await caller("DELETE", `/api/v1/teams/${team.id}`),
        await caller("PUT", `/api/v1/teams/${team.id}/members/${aliceId}`),
        await caller("DELETE", `/api/v1/teams/${team.id}/members/${aliceId}`),
      ]) {
        expect(response.status).toBe(403);
      }
    }
  });

  test("another organisation's team is a 404 everywhere", async () => {
    const theirs = (await (await globexAdmin("POST", "/api/v1/teams", { name: "Theirs" })).json()) as TeamJson;
    for (const response of [
      await admin("GET", `/api/v1/teams/${theirs.id}`),
      await admin("PATCH", `/api/v1/teams/${theirs.id}`, { name: "Ours" }),
      await admin("DELETE", `/api/v1/teams/${theirs.id}`),
      await admin("PUT", `/api/v1/teams/${theirs.id}/members/${aliceId}`),
      await admin("DELETE", `/api/v1/teams/${theirs.id}/members/${aliceId}`),
    ]) {
      expect(response.status).toBe(404);
      expect((await errorOf(response)).code).toBe("not_found");
    }
  });
});

describe("who leads whom (for timesheet approval)", () => {
  test("teamLeadsOf, leadsTeamOf and memberIdsLedBy follow the teams' leads and members", async () => {
    const db = box.deps.db;
    const solo = await createUser(box, { orgId: acme.orgId, role: "member", name: "Sol" });
    await create({ name: "Leads A", leadId, memberIds: [solo, leadId] });
    await create({ name: "Leads B", leadId: otherLeadId, memberIds: [solo] });
    await create({ name: "Leaderless", memberIds: [solo] });
    expect(teamLeadsOf(db, acme.orgId, solo).sort()).toEqual([leadId, otherLeadId].sort());
    // A lead on their own team is not their own approver.
    expect(teamLeadsOf(db, acme.orgId, leadId)).toEqual([]);
    expect(leadsTeamOf(db, acme.orgId, leadId, solo)).toBe(true);
    expect(leadsTeamOf(db, acme.orgId, otherLeadId, bobId)).toBe(false);
    expect(leadsTeamOf(db, globex.orgId, leadId, solo)).toBe(false);
    expect(memberIdsLedBy(db, acme.orgId, otherLeadId)).toEqual([solo]);
    expect(memberIdsLedBy(db, acme.orgId, leadId)).toEqual(expect.arrayContaining([solo, aliceId, bobId]));
    expect(memberIdsLedBy(db, acme.orgId, aliceId)).toEqual([]);
  });
});
