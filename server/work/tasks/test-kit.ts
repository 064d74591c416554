import { desc, eq } from "drizzle-orm";
import { domainEvents } from "../../../models/events.ts";
import { type ProjectStatus, projects } from "../../../models/work.ts";
import { apiAs, type Call } from "../../auth/people/people-test-kit.ts";
import { rolePermissions } from "../../auth/roles/permissions.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { newId } from "../../tools/ids.ts";
import type { TaskContext } from "./access.ts";
import type { TaskJson } from "./service.ts";

/** Test helpers of the task tests: an organisation with one person per role, projects, a second organisation. */

export type TaskWorld = {
  orgId: string;
  adminId: string;
  leadId: string;
  memberId: string;
  otherMemberId: string;
  viewerId: string;
  projectId: string;
  archivedProjectId: string;
  cookies: { admin: string; lead: string; member: string; otherMember: string; viewer: string };
  as: { admin: Call; lead: Call; member: Call; otherMember: Call; viewer: Call; globex: Call };
  globex: { orgId: string; adminId: string; projectId: string };
};

export function insertProject(box: TestApp, orgId: string, code: string, status: ProjectStatus = "active"): string {
  const id = newId("prj");
  box.deps.db
    .insert(projects)
    .values({ id, orgId, name: `Project ${code}`, code, status })
    .run();
  return id;
}

export async function createTaskWorld(box: TestApp): Promise<TaskWorld> {
  const acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  const orgId = acme.orgId;
  const leadId = await createUser(box, { orgId, role: "team_lead", name: "Lee Lead" });
  const memberId = await createUser(box, { orgId, role: "member", name: "Mia Member" });
  const otherMemberId = await createUser(box, { orgId, role: "member", name: "Otto Other" });
  const viewerId = await createUser(box, { orgId, role: "viewer", name: "Vic Viewer" });
  const cookies = {
    admin: sessionCookie(box, acme.adminId, orgId),
    lead: sessionCookie(box, leadId, orgId),
    member: sessionCookie(box, memberId, orgId),
    otherMember: sessionCookie(box, otherMemberId, orgId),
    viewer: sessionCookie(box, viewerId, orgId),
  };
  return {
    orgId,
    adminId: acme.adminId,
    leadId,
    memberId,
    otherMemberId,
    viewerId,
    projectId: insertProject(box, orgId, "WEB"),
    archivedProjectId: insertProject(box, orgId, "OLD", "archived"),
    cookies,
    as: {
      admin: apiAs(box, cookies.admin),
      lead: apiAs(box, cookies.lead),
      member: apiAs(box, cookies.member),
      otherMember: apiAs(box, cookies.otherMember),
      viewer: apiAs(box, cookies.viewer),
      globex: apiAs(box, sessionCookie(box, globex.adminId, globex.orgId)),
    },
    globex: { ...globex, projectId: insertProject(box, globex.orgId, "GLX") },
  };
}

/** Creates a task through the API and returns its JSON (throws unless 201). */
export async function newTask(call: Call, body: Record<string, unknown>): Promise<TaskJson> {
  const response = await call("POST", "/api/v1/tasks", body);
  if (response.status !== 201) throw new Error(`create failed ${response.status}: ${await response.text()}`);
  return (await response.json()) as TaskJson;
}

/** The newest domain event about a task. */
export function lastEventOf(box: TestApp, taskId: string) {
  return box.deps.db
    .select()
    .from(domainEvents)
    .where(eq(domainEvents.subjectId, taskId))
    .orderBy(desc(domainEvents.seq))
    .limit(1)
    .get();
}

/** The admin's service context in the task world, for tests that call the services directly. */
export function adminTaskContext(box: TestApp, w: TaskWorld): TaskContext {
  return {
    db: box.deps.db,
    log: box.deps.log,
    keyring: box.deps.keyring,
    orgId: w.orgId,
    userId: w.adminId,
    apiKeyId: null,
    permissions: rolePermissions.admin,
    meta: { ipAddress: "127.0.0.1", userAgent: null, requestId: "test" },
    actorName: "Ada Admin",
  };
}
