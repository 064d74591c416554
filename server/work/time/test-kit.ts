import { and, desc, eq } from "drizzle-orm";
import { domainEvents } from "../../../models/events.ts";
import { timesheets } from "../../../models/time.ts";
import { projects, tasks, teamMembers, teams } from "../../../models/work.ts";
import { apiAs, type Call } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { addDays, todayUtc, weekStartOf } from "../../tools/days.ts";
import { newId } from "../../tools/ids.ts";
import type { TimeEntryJson } from "./entry-json.ts";

/** Test helpers of time tracking: an organisation with a team, a project, a task and one person per role. */

export type TimeWorld = {
  orgId: string;
  otherOrgId: string;
  ids: Record<"admin" | "manager" | "lead" | "member" | "outsider" | "viewer" | "otherAdmin", string>;
  cookies: Record<"admin" | "manager" | "lead" | "member" | "outsider" | "viewer" | "otherAdmin", string>;
  as: Record<"admin" | "manager" | "lead" | "member" | "outsider" | "viewer" | "otherAdmin", Call>;
  projectId: string;
  archivedProjectId: string;
  taskId: string;
  otherProjectId: string;
  /** Monday of this week and of last week. */
  thisWeek: string;
  lastWeek: string;
};

export async function createTimeWorld(box: TestApp): Promise<TimeWorld> {
  const acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  const orgId = acme.orgId;
  const person = (role: string, name: string) =>
    createUser(box, { orgId, role, name, email: `${name.split(" ")[0]?.toLowerCase()}@acme.test` });
  const ids = {
    admin: acme.adminId,
    manager: await person("manager", "Maya Manager"),
    lead: await person("team_lead", "Leo Lead"),
    member: await person("member", "Mo Member"),
    outsider: await person("member", "Oz Outsider"),
    viewer: await person("viewer", "Vic Viewer"),
    otherAdmin: globex.adminId,
  };
  const teamId = newId("tem");
  box.deps.db.insert(teams).values({ id: teamId, orgId, name: "Field crew", leadId: ids.lead }).run();
  box.deps.db
    .insert(teamMembers)
    .values([
      { teamId, userId: ids.member, orgId },
      { teamId, userId: ids.lead, orgId },
    ])
    .run();
  const projectId = insertProject(box, orgId, "WEB", "Website");
  const archivedProjectId = insertProject(box, orgId, "OLD", "Old site", "archived");
  const otherProjectId = insertProject(box, globex.orgId, "GLX", "Globex work");
  const taskId = insertTask(box, orgId, projectId, "Fix the boiler", ids.member);
  const cookies = Object.fromEntries(
    Object.entries(ids).map(([key, id]) => [key, sessionCookie(box, id, key === "otherAdmin" ? globex.orgId : orgId)]),
  ) as TimeWorld["cookies"];
  const as = Object.fromEntries(
    Object.entries(cookies).map(([key, cookie]) => [key, apiAs(box, cookie)]),
  ) as TimeWorld["as"];
  const thisWeek = weekStartOf(todayUtc());
  return {
    orgId,
    otherOrgId: globex.orgId,
    ids,
    cookies,
    as,
    projectId,
    archivedProjectId,
    taskId,
    otherProjectId,
    thisWeek,
    lastWeek: addDays(thisWeek, -7),
  };
}

export function insertProject(box: TestApp, orgId: string, code: string, name: string, status = "active") {
  const id = newId("prj");
  box.deps.db
    .insert(projects)
    .values({ id, orgId, code, name, status: status as "active" })
    .run();
  return id;
}

export function insertTask(box: TestApp, orgId: string, projectId: string | null, title: string, assigneeId?: string) {
  const id = newId("tsk");
  box.deps.db
    .insert(tasks)
    .values({ id, orgId, projectId, title, assigneeId: assigneeId ?? null, lastActivityAt: new Date() })
    .run();
  return id;
}

/** A time entry as the API answers it. */
export type EntryBody = TimeEntryJson;

/** Logs time through the API and answers the created entry (throws unless 201). */
export async function logTime(call: Call, body: Record<string, unknown>): Promise<EntryBody> {
  const response = await call("POST", "/api/v1/time-entries", body);
  if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as EntryBody;
}

/** Sets a week's timesheet status directly (as a decided approval would). */
export function setWeekStatus(
  box: TestApp,
  orgId: string,
  userId: string,
  weekStart: string,
  status: "open" | "submitted" | "approved" | "rejected",
): string {
  const existing = box.deps.db
    .select()
    .from(timesheets)
    .where(and(eq(timesheets.orgId, orgId), eq(timesheets.userId, userId), eq(timesheets.weekStart, weekStart)))
    .get();
  if (existing) {
    box.deps.db.update(timesheets).set({ status }).where(eq(timesheets.id, existing.id)).run();
    return existing.id;
  }
  const id = newId("tsh");
  box.deps.db.insert(timesheets).values({ id, orgId, userId, weekStart, status }).run();
  return id;
}

export function lastEvent(box: TestApp, orgId: string, type: string) {
  return (
    box.deps.db
      .select()
      .from(domainEvents)
      .where(and(eq(domainEvents.orgId, orgId), eq(domainEvents.type, type)))
      .orderBy(desc(domainEvents.seq))
      .get() ?? null
  );
}
