import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { approvalRequests } from "../../../models/approvals.ts";
import { errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { createTimeWorld, type EntryBody, lastEvent, logTime, type TimeWorld } from "./test-kit.ts";

let box: TestApp;
let w: TimeWorld;

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTimeWorld(box);
});
afterAll(() => box.close());

type Sheet = {
  id: string;
  userId: string;
  weekStart: string;
  status: string;
  approvalRequestId: string | null;
  minutes: number;
  entries?: EntryBody[];
  totals?: {
    byDay: { date: string; minutes: number }[];
    byProject: { projectId: string; name: string; minutes: number; billableMinutes: number }[];
  };
};

function requestOf(id: string | null) {
  return box.deps.db
    .select()
    .from(approvalRequests)
    .where(eq(approvalRequests.id, id ?? ""))
    .get();
}

async function submit(call: TimeWorld["as"]["member"], weekStart: string): Promise<Sheet> {
  const response = await call("POST", "/api/v1/timesheets/submit", { weekStart });
  if (response.status !== 201 && response.status !== 200) {
    throw new Error(`submit answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as Sheet;
}

async function decide(call: TimeWorld["as"]["member"], requestId: string | null, decision: "approve" | "reject") {
  const response = await call("POST", `/api/v1/approvals/${requestId}/decisions`, { decision, comment: "" });
  expect(response.status).toBe(201);
}

describe("who may use the timesheets API", () => {
  test("a viewer gets 403 on every timesheet route", async () => {
    for (const [method, path] of [
      ["GET", "/api/v1/timesheets"],
      ["GET", "/api/v1/timesheets/tsh_x"],
      ["POST", "/api/v1/timesheets/submit"],
      ["POST", "/api/v1/timesheets/tsh_x/reopen"],
    ] as const) {
      expect(
        (await w.as.viewer(method, path, method === "POST" ? { weekStart: "2025-06-02" } : undefined)).status,
      ).toBe(403);
    }
    expect((await w.as.member("POST", "/api/v1/timesheets/tsh_x/reopen")).status).toBe(403);
  });

  test("an empty week or a day that is not a Monday is 422", async () => {
    const empty = await w.as.member("POST", "/api/v1/timesheets/submit", { weekStart: "2025-01-13" });
    expect(empty.status).toBe(422);
    expect((await errorOf(empty)).details?.[0]?.path).toBe("weekStart");
    expect((await w.as.member("POST", "/api/v1/timesheets/submit", { weekStart: "2025-01-14" })).status).toBe(422);
  });
});

describe("a week from submission to approval and back", () => {
  let sheet: Sheet;
  let entry: EntryBody;

  test("submitting locks the week and asks the submitter's own team lead", async () => {
    entry = await logTime(w.as.member, { date: "2025-06-03", minutes: 240, taskId: w.taskId, billable: true });
    await logTime(w.as.member, { date: "2025-06-04", minutes: 60, projectId: w.projectId });
    const response = await w.as.member("POST", "/api/v1/timesheets/submit", { weekStart: "2025-06-02" });
    expect(response.status).toBe(201);
    sheet = (await response.json()) as Sheet;
    expect(sheet).toMatchObject({ userId: w.ids.member, weekStart: "2025-06-02", status: "submitted", minutes: 300 });
    expect(sheet.totals?.byDay.map((day) => day.minutes)).toEqual([0, 240, 60, 0, 0, 0, 0]);
    expect(sheet.totals?.byProject).toEqual([
      { projectId: w.projectId, name: "WEB · Website", minutes: 300, billableMinutes: 240 },
    ]);
    const request = requestOf(sheet.approvalRequestId);
    expect(request?.subjectType).toBe("timesheet");
    expect(request?.steps[0]).toMatchObject({ approverType: "user", approverUserId: w.ids.lead });
    const event = lastEvent(box, w.orgId, "timesheet.submitted");
    expect(event?.permission).toBe("timesheets.approve");
    expect(event?.audience).toEqual([w.ids.lead]);

    const locked = await w.as.member("PATCH", `/api/v1/time-entries/${entry.id}`, { minutes: 10 });
    expect(locked.status).toBe(409);
    expect((await errorOf(locked)).message).toBe("This week is submitted and locked.");
    expect((await w.as.member("POST", "/api/v1/timesheets/submit", { weekStart: "2025-06-02" })).status).toBe(409);
  });

  test("a rejection opens the week for changes; a new submission starts a new approval", async () => {
    await decide(w.as.lead, sheet.approvalRequestId, "reject");
    const read = (await (await w.as.member("GET", `/api/v1/timesheets/${sheet.id}`)).json()) as Sheet;
    expect(read.status).toBe("rejected");
    expect(lastEvent(box, w.orgId, "timesheet.rejected")?.audience).toEqual([w.ids.member]);
    expect((await w.as.member("PATCH", `/api/v1/time-entries/${entry.id}`, { minutes: 180 })).status).toBe(200);
    const again = await submit(w.as.member, "2025-06-02");
    expect(again.id).toBe(sheet.id);
    expect(again.status).toBe("submitted");
    expect(again.approvalRequestId).not.toBe(sheet.approvalRequestId);
    sheet = again;
  });

  test("approval locks the week; only an approver over the person reopens it", async () => {
    await decide(w.as.lead, sheet.approvalRequestId, "approve");
    const read = (await (await w.as.member("GET", `/api/v1/timesheets/${sheet.id}`)).json()) as Sheet;
    expect(read.status).toBe("approved");
    expect(lastEvent(box, w.orgId, "timesheet.approved")?.subjectId).toBe(sheet.id);
    const locked = await w.as.member("DELETE", `/api/v1/time-entries/${entry.id}`);
    expect(locked.status).toBe(409);
    expect((await errorOf(locked)).message).toBe("This week is approved and locked.");

    expect((await w.as.otherAdmin("POST", `/api/v1/timesheets/${sheet.id}/reopen`)).status).toBe(404);
    expect((await w.as.otherAdmin("GET", `/api/v1/timesheets/${sheet.id}`)).status).toBe(404);
    const reopened = await w.as.lead("POST", `/api/v1/timesheets/${sheet.id}/reopen`);
    expect(reopened.status).toBe(200);
    expect(((await reopened.json()) as Sheet).status).toBe("open");
    expect(lastEvent(box, w.orgId, "timesheet.reopened")?.audience).toEqual([w.ids.member]);
    expect((await w.as.member("PATCH", `/api/v1/time-entries/${entry.id}`, { minutes: 120 })).status).toBe(200);
    expect((await w.as.lead("POST", `/api/v1/timesheets/${sheet.id}/reopen`)).status).toBe(409);
  });

  test("cancelling the request gives the week back to its person", async () => {
    const submitted = await submit(w.as.member, "2025-06-02");
    const cancel = await w.as.member("POST", `/api/v1/approvals/${submitted.approvalRequestId}/cancel`);
    expect(cancel.status).toBe(200);
    const read = (await (await w.as.member("GET", `/api/v1/timesheets/${submitted.id}`)).json()) as Sheet;
    expect(read.status).toBe("rejected");
  });
});

describe("a week's events in the feed", () => {
  type FeedEvent = { type: string; subject: { id: string }; data: Record<string, unknown> };
  /** The events about one timesheet (its own and its approval's) that a role's feed shows. */
  async function feedAbout(role: keyof TimeWorld["as"], sheetId: string, requestId: string | null): Promise<string[]> {
    const response = await w.as[role]("GET", "/api/v1/events?format=json&limit=200");
    expect(response.status).toBe(200);
    const page = (await response.json()) as { data: FeedEvent[] };
    return page.data
      .filter((event) => event.subject.id === sheetId || event.subject.id === requestId)
      .map((event) => event.type)
      .reverse();
  }

  test("only people who may approve timesheets see a week's minutes go by, as GET /timesheets/{id} decides", async () => {
    await logTime(w.as.member, { date: "2025-09-02", minutes: 420, taskId: w.taskId });
    const sheet = await submit(w.as.member, "2025-09-01");
    await decide(w.as.lead, sheet.approvalRequestId, "approve");
    const approvers = ["timesheet.submitted", "approval.requested", "approval.decided", "approval.completed"];
    for (const role of ["admin", "manager", "lead"] as const) {
      const seen = await feedAbout(role, sheet.id, sheet.approvalRequestId);
      expect(seen).toEqual(expect.arrayContaining([...approvers, "timesheet.approved"]));
    }
    for (const role of ["viewer", "outsider", "member"] as const) {
      expect(await feedAbout(role, sheet.id, sheet.approvalRequestId)).toEqual([]);
    }
    // The record itself: refused to a viewer (403) and to another member (404), as the feed refuses its events.
    expect((await w.as.viewer("GET", `/api/v1/timesheets/${sheet.id}`)).status).toBe(403);
    expect((await w.as.outsider("GET", `/api/v1/timesheets/${sheet.id}`)).status).toBe(404);
  });

  test("the approvals list and page show a week's request (title, minutes) only to whom the timesheet shows", async () => {
    await logTime(w.as.member, { date: "2025-09-09", minutes: 300, taskId: w.taskId });
    const sheet = await submit(w.as.member, "2025-09-08");
    const requestId = sheet.approvalRequestId ?? "";
    for (const role of ["viewer", "outsider"] as const) {
      const list = (await (await w.as[role]("GET", "/api/v1/approvals?limit=200")).json()) as {
        data: { id: string }[];
      };
      expect(list.data.map((request) => request.id)).not.toContain(requestId);
      expect((await w.as[role]("GET", `/api/v1/approvals/${requestId}`)).status).toBe(404);
    }
    // Its person (the requester) and an approver still see it.
    expect((await w.as.member("GET", `/api/v1/approvals/${requestId}`)).status).toBe(200);
    expect((await w.as.lead("GET", `/api/v1/approvals/${requestId}`)).status).toBe(200);
  });
});

describe("routing and scoping", () => {
  test("someone without a team lead goes to the managers; a lead outside their team gets 404", async () => {
    await logTime(w.as.outsider, { date: "2025-06-10", minutes: 60, projectId: w.projectId });
    const sheet = await submit(w.as.outsider, "2025-06-09");
    expect(requestOf(sheet.approvalRequestId)?.steps[0]).toMatchObject({
      approverType: "role",
      approverRole: "manager",
      approverUserId: null,
    });
    expect(lastEvent(box, w.orgId, "timesheet.submitted")?.audience).toEqual([w.ids.manager]);
    expect((await w.as.lead("GET", `/api/v1/timesheets/${sheet.id}`)).status).toBe(404);
    expect((await w.as.lead("POST", `/api/v1/timesheets/${sheet.id}/reopen`)).status).toBe(404);
    expect((await w.as.member("GET", `/api/v1/timesheets/${sheet.id}`)).status).toBe(404);
    await decide(w.as.manager, sheet.approvalRequestId, "approve");
    expect((await w.as.manager("POST", `/api/v1/timesheets/${sheet.id}/reopen`)).status).toBe(200);
  });

  test("a team lead never reopens their own week; a manager may reopen theirs", async () => {
    await logTime(w.as.lead, { date: "2025-06-17", minutes: 60, projectId: w.projectId });
    const leadSheet = await submit(w.as.lead, "2025-06-16");
    await decide(w.as.manager, leadSheet.approvalRequestId, "approve");
    const own = await w.as.lead("POST", `/api/v1/timesheets/${leadSheet.id}/reopen`);
    expect(own.status).toBe(403);
    expect((await w.as.manager("POST", `/api/v1/timesheets/${leadSheet.id}/reopen`)).status).toBe(200);

    await logTime(w.as.manager, { date: "2025-06-17", minutes: 60, projectId: w.projectId });
    const managerSheet = await submit(w.as.manager, "2025-06-16");
    await decide(w.as.admin, managerSheet.approvalRequestId, "approve");
    expect((await w.as.manager("POST", `/api/v1/timesheets/${managerSheet.id}/reopen`)).status).toBe(200);
  });

  test("the list is one's own by default; userId=all is everyone the caller approves", async () => {
    const own = (await (await w.as.member("GET", "/api/v1/timesheets")).json()) as { data: Sheet[] };
    expect(new Set(own.data.map((sheet) => sheet.userId))).toEqual(new Set([w.ids.member]));
    const lead = (await (await w.as.lead("GET", "/api/v1/timesheets?userId=all")).json()) as { data: Sheet[] };
    expect(new Set(lead.data.map((sheet) => sheet.userId))).toEqual(new Set([w.ids.member, w.ids.lead]));
    const manager = (await (await w.as.manager("GET", "/api/v1/timesheets?userId=all&week=2025-06-18")).json()) as {
      data: Sheet[];
    };
    expect(manager.data.map((sheet) => sheet.weekStart)).toEqual(["2025-06-16", "2025-06-16"]);
    const paged = (await (await w.as.manager("GET", "/api/v1/timesheets?userId=all&limit=1")).json()) as {
      data: Sheet[];
      nextCursor: string | null;
    };
    expect(paged.data).toHaveLength(1);
    expect(paged.nextCursor).toBeString();
    const submitted = (await (await w.as.manager("GET", "/api/v1/timesheets?userId=all&status=open")).json()) as {
      data: Sheet[];
    };
    expect(submitted.data.every((sheet) => sheet.status === "open")).toBe(true);
  });
});
