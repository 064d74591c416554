import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { domainEvents } from "../../models/events.ts";
import { customRoles, memberships } from "../../models/identity.ts";
import { notificationProgress, notifications } from "../../models/notifications.ts";
import { publishEvent } from "../events/publish.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { newId } from "../tools/ids.ts";
import { apiAs, type Call, contextFor, jsonOf, userStep } from "../work/approvals/test-kit.ts";
import { runNotifier } from "./notifier.ts";
import { setMyPreferences, setOrganizationDefaults } from "./preferences.ts";
import { notificationsOf, summariesOf } from "./test-kit.ts";

let box: TestApp;
let orgId = "";
let otherOrgId = "";
const id: Record<"admin" | "mia" | "ann" | "lee" | "max" | "vic", string> = {
  admin: "",
  mia: "",
  ann: "",
  lee: "",
  max: "",
  vic: "",
};
const as: Partial<Record<keyof typeof id, Call>> = {};

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  orgId = acme.orgId;
  id.admin = acme.adminId;
  otherOrgId = (await createOrganization(box, "Globex")).orgId;
  const people = [
    ["mia", "manager", "Mia Manager"],
    ["ann", "manager", "Ann Approver"],
    ["lee", "team_lead", "Lee Lead"],
    ["max", "member", "Max Member"],
    ["vic", "viewer", "Vic Viewer"],
  ] as const;
  for (const [key, role, name] of people) {
    id[key] = await createUser(box, { orgId, role, name, email: `${key}@acme.test` });
  }
  for (const key of Object.keys(id) as (keyof typeof id)[]) as[key] = apiAs(box, id[key], orgId);
});
afterAll(() => box.close());

beforeEach(() => {
  runNotifier(box.deps.db);
  box.deps.db.delete(notifications).run();
});

async function createTask(by: keyof typeof id, body: Record<string, unknown>): Promise<string> {
  return (await jsonOf<{ id: string }>((await as[by]?.("POST", "/api/v1/tasks", body)) as Response, 201)).id;
}

describe("tasks", () => {
  test("a task created for someone, or handed to them, tells them; the person who did it is never told", async () => {
    const taskId = await createTask("mia", { title: "Fix the boiler", assigneeId: id.max });
    await createTask("mia", { title: "Mia's own", assigneeId: id.mia });
    expect(summariesOf(box, orgId, id.max)).toEqual(["task_assigned: Mia Manager assigned “Fix the boiler” to you"]);
    expect(summariesOf(box, orgId, id.mia)).toEqual([]);
    await jsonOf((await as.mia?.("PATCH", `/api/v1/tasks/${taskId}`, { assigneeId: id.lee })) as Response, 200);
    const [forLee] = notificationsOf(box, orgId, id.lee);
    expect(forLee).toMatchObject({
      kind: "task_assigned",
      link: `/tasks/${taskId}`,
      subjectId: taskId,
      actorId: id.mia,
    });
    expect(forLee?.inConsole).toBe(true);
    expect(forLee?.emailStatus).toBe("pending");
  });

  test("a comment tells the task's assignee and reporter, and a mention (@name) anyone it names", async () => {
    const taskId = await createTask("mia", { title: "Order parts", assigneeId: id.max });
    notificationsOf(box, orgId, id.max);
    box.deps.db.delete(notifications).run();
    await jsonOf(
      (await as.lee?.("POST", `/api/v1/tasks/${taskId}/comments`, {
        body: "Done, @ann approver can you check? cc @vic",
      })) as Response,
      201,
    );
    expect(summariesOf(box, orgId, id.max)).toEqual(["task_comment: Lee Lead commented on your task “Order parts”"]);
    expect(summariesOf(box, orgId, id.mia)).toEqual(["task_comment: Lee Lead commented on your task “Order parts”"]);
    expect(summariesOf(box, orgId, id.ann)).toEqual(["task_comment: Lee Lead mentioned you on “Order parts”"]);
    expect(summariesOf(box, orgId, id.vic)).toEqual(["task_comment: Lee Lead mentioned you on “Order parts”"]);
    expect(summariesOf(box, orgId, id.lee)).toEqual([]);
  });
});

describe("approvals", () => {
  test("each step's approvers are told when it waits on them, and the requester when it is decided", async () => {
    await jsonOf(
      (await as.admin?.("POST", "/api/v1/approval-pipelines", {
        name: "Two steps",
        subjectType: "purchase",
        steps: [userStep("First", id.ann), userStep("Second", id.lee)],
      })) as Response,
      201,
    );
    const request = await jsonOf<{ id: string }>(
      (await as.max?.("POST", "/api/v1/approvals", {
        subjectType: "purchase",
        title: "New drill",
        amount: 9900,
        currency: "EUR",
      })) as Response,
      201,
    );
    expect(summariesOf(box, orgId, id.ann)).toEqual([
      "approval_waiting: Max Member asks for your approval of “New drill”",
    ]);
    expect(summariesOf(box, orgId, id.lee)).toEqual([]);
    const decide = (by: "ann" | "lee") =>
      as[by]?.("POST", `/api/v1/approvals/${request.id}/decisions`, { decision: "approve" }) as Promise<Response>;
    await jsonOf(await decide("ann"), 201);
    expect(summariesOf(box, orgId, id.lee)).toEqual(["approval_waiting: “New drill” waits on your approval"]);
    expect(summariesOf(box, orgId, id.max)).toEqual([]);
    await jsonOf(await decide("lee"), 201);
    const [decided] = notificationsOf(box, orgId, id.max);
    expect(decided).toMatchObject({ kind: "approval_decided", title: "Your request “New drill” was approved" });
    expect(decided?.link).toBe(`/approvals/${request.id}`);
  });
});

function publish(
  type: "invoice.status_changed" | "timesheet.approved" | "timesheet.rejected",
  data: Record<string, unknown>,
  actor: string,
  subjectId: string,
  audience: string[] = [],
) {
  publishEvent(
    box.deps.db,
    { orgId, userId: actor },
    { type, subjectType: type.split(".")[0] ?? "", subjectId, summary: type, data, audience },
  );
}

describe("who may see what", () => {
  test("an invoice sent or paid tells only the people who manage invoices, not the one who did it", () => {
    publish("invoice.status_changed", { number: "INV-7", from: "approved", to: "sent" }, id.mia, "inv_1");
    publish("invoice.status_changed", { number: "INV-7", from: "sent", to: "overdue" }, id.mia, "inv_1");
    expect(summariesOf(box, orgId, id.ann)).toEqual(["invoice_status: Invoice INV-7 was sent by Mia Manager"]);
    expect(summariesOf(box, orgId, id.admin)).toEqual(["invoice_status: Invoice INV-7 was sent by Mia Manager"]);
    expect(summariesOf(box, orgId, id.mia)).toEqual([]);
    for (const key of ["lee", "max", "vic"] as const) expect(summariesOf(box, orgId, id[key])).toEqual([]);
  });

  test("a timesheet's owner hears of its decision, though the event needs timesheets.approve to be seen", () => {
    publish("timesheet.approved", { userId: id.max, weekStart: "2025-03-03" }, id.lee, "tsh_1", [id.max]);
    publish("timesheet.rejected", { userId: id.max, weekStart: "2025-03-10" }, id.lee, "tsh_2", [id.max]);
    const rows = notificationsOf(box, orgId, id.max);
    expect(rows.map((row) => row.title)).toEqual([
      "Your timesheet for the week of 2025-03-03 was approved",
      "Your timesheet for the week of 2025-03-10 was returned to you",
    ]);
    expect(rows[0]?.link).toBe("/time?week=2025-03-03");
  });

  test("someone whose role may not read the workspace is not told about a task, even when mentioned", async () => {
    const roleId = newId("rol");
    box.deps.db
      .insert(customRoles)
      .values({ id: roleId, orgId, name: "Ask only", permissions: ["assistant.ask"] })
      .run();
    const asker = await createUser(box, { orgId, role: roleId, name: "Asa Asker", email: "asa@acme.test" });
    const taskId = await createTask("mia", { title: "Secret plans" });
    await as.mia?.("POST", `/api/v1/tasks/${taskId}/comments`, { body: "@asa have a look" });
    publish("timesheet.approved", { userId: asker, weekStart: "2025-03-03" }, id.lee, "tsh_5", [asker]);
    expect(notificationsOf(box, orgId, asker)).toEqual([]);
  });

  test("someone who is no longer a member, or in another organisation, is not told", async () => {
    const gone = await createUser(box, { orgId, role: "member", name: "Gone Member" });
    box.deps.db.delete(memberships).where(eq(memberships.userId, gone)).run();
    const outsider = await createUser(box, { orgId: otherOrgId, role: "admin", name: "Globex Admin" });
    await createTask("mia", { title: "Nobody's", assigneeId: id.max });
    publish("timesheet.approved", { userId: gone, weekStart: "2025-03-03" }, id.lee, "tsh_3", [gone]);
    publish("timesheet.approved", { userId: outsider, weekStart: "2025-03-03" }, id.lee, "tsh_4", [outsider]);
    expect(notificationsOf(box, orgId, gone)).toEqual([]);
    expect(notificationsOf(box, otherOrgId, outsider)).toEqual([]);
    expect(notificationsOf(box, orgId, outsider)).toEqual([]);
  });
});

describe("preferences", () => {
  test("a channel switched off is honoured per kind; both off writes nothing", async () => {
    const ctx = contextFor(box, id.lee, orgId);
    setMyPreferences(ctx, {
      choices: { task_assigned: { email: false }, task_comment: { console: false, email: false } },
    });
    const taskId = await createTask("mia", { title: "Quiet please", assigneeId: id.lee });
    await as.mia?.("POST", `/api/v1/tasks/${taskId}/comments`, { body: "Hello" });
    const rows = notificationsOf(box, orgId, id.lee);
    expect(rows.map((row) => [row.kind, row.inConsole, row.emailStatus])).toEqual([["task_assigned", true, "none"]]);
    setMyPreferences(ctx, { useOrganizationDefaults: true });
  });

  test("the organisation's defaults apply to people without their own choices, and theirs win", async () => {
    setOrganizationDefaults(contextFor(box, id.admin, orgId), { task_assigned: { console: false, email: true } });
    setMyPreferences(contextFor(box, id.lee, orgId), { choices: { task_assigned: { console: true } } });
    await createTask("mia", { title: "Defaults", assigneeId: id.max });
    await createTask("mia", { title: "Mine", assigneeId: id.lee });
    const [forMax] = notificationsOf(box, orgId, id.max);
    const [forLee] = notificationsOf(box, orgId, id.lee);
    expect([forMax?.inConsole, forMax?.emailStatus]).toEqual([false, "pending"]);
    // Lee saved a choice while the default was off: their whole set was kept, console on.
    expect([forLee?.inConsole, forLee?.emailStatus]).toEqual([true, "pending"]);
    setOrganizationDefaults(contextFor(box, id.admin, orgId), { task_assigned: { console: true, email: true } });
    setMyPreferences(contextFor(box, id.lee, orgId), { useOrganizationDefaults: true });
  });
});

describe("reliability", () => {
  test("events written while the notifier was not running are picked up once, and never twice", async () => {
    await createTask("mia", { title: "One", assigneeId: id.max });
    await createTask("mia", { title: "Two", assigneeId: id.max });
    // As after a crash before the notifier ran: its place in the log is still before both events.
    const latest = box.deps.db.select({ seq: domainEvents.seq }).from(domainEvents).all().at(-1)?.seq ?? 0;
    box.deps.db.delete(notifications).run();
    box.deps.db
      .update(notificationProgress)
      .set({ lastSeq: latest - 2 })
      .run();
    expect(notificationsOf(box, orgId, id.max).map((row) => row.title)).toEqual([
      "Mia Manager assigned “One” to you",
      "Mia Manager assigned “Two” to you",
    ]);
    expect(runNotifier(box.deps.db)).toBe(0);
    expect(notificationsOf(box, orgId, id.max)).toHaveLength(2);
  });
});
