import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ApprovalSubjectType, approvalSubjectTypes } from "../../models/approvals.ts";
import { type BuiltInRole, builtInRoles } from "../auth/roles/permissions.ts";
import type { TestApp } from "../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { publishEvent } from "./publish.ts";
import { type EventType, eventTypes, type RecordKind, recordReadPermission } from "./types.ts";

/*
 * Every event type × every built-in role: the feed shows an event to exactly the roles that may
 * read the record it describes. Who may read what is written out here by hand from the role table
 * of docs/architecture.md (and the routes: GET /customers and /invoices need invoices.manage, another
 * person's timesheet, time entry or timer needs timesheets.approve), not taken from the code under
 * test. A new event type is listed in types.ts with the record it describes, so it is walked here
 * too; a new kind of record needs its row below before this file compiles.
 */
const everyone = builtInRoles;
const mayRead: Record<RecordKind, readonly BuiltInRole[]> = {
  task: everyone,
  project: everyone,
  team: everyone,
  equipment: everyone,
  document: everyone,
  approval_pipeline: everyone,
  purchase: everyone,
  other: everyone,
  agent: everyone,
  invoice: ["admin", "manager"],
  customer: ["admin", "manager"],
  bill: ["admin", "manager"],
  timesheet: ["admin", "manager", "team_lead"],
  time_entry: ["admin", "manager", "team_lead"],
  timer: ["admin", "manager", "team_lead"],
  broadcast: ["admin", "manager"],
};

let box: TestApp;
let orgId = "";
const cookies = new Map<BuiltInRole, string>();

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  orgId = acme.orgId;
  cookies.set("admin", sessionCookie(box, acme.adminId, orgId));
  for (const role of builtInRoles.filter((name) => name !== "admin")) {
    cookies.set(role, sessionCookie(box, await createUser(box, { orgId, role }), orgId));
  }
});
afterAll(() => box.close());

/** One event of every type; an approval event once for each kind of thing a request approves. */
function publishEveryType(): { summary: string; record: RecordKind }[] {
  const published: { summary: string; record: RecordKind }[] = [];
  box.deps.db.transaction((tx) => {
    for (const [type, about] of Object.entries(eventTypes) as [EventType, RecordKind | "approval"][]) {
      const cases: { record: RecordKind; approves?: ApprovalSubjectType }[] =
        about === "approval"
          ? approvalSubjectTypes.map((subject) => ({ record: subject, approves: subject }))
          : [{ record: about }];
      for (const { record, approves } of cases) {
        const summary = `${type} about ${record}`;
        publishEvent(
          tx,
          { orgId, userId: null },
          { type, subjectType: about, subjectId: `sub_${published.length}`, summary, approves },
        );
        published.push({ summary, record });
      }
    }
  });
  return published;
}

async function feedOf(role: BuiltInRole): Promise<Set<string>> {
  const response = await box.fetch("/api/v1/events?format=json&limit=200", {
    headers: { Cookie: cookies.get(role) ?? "" },
  });
  expect(response.status).toBe(200);
  const page = (await response.json()) as { data: { summary: string }[] };
  return new Set(page.data.map((event) => event.summary));
}

describe("who sees which event in the feed", () => {
  test("every event type × every built-in role: shown exactly to the roles that may read its record", async () => {
    const published = publishEveryType();
    expect(published.length).toBeLessThanOrEqual(200);
    const wrong: string[] = [];
    for (const role of builtInRoles) {
      const seen = await feedOf(role);
      for (const { summary, record } of published) {
        const expected = mayRead[record].includes(role);
        if (seen.has(summary) !== expected) wrong.push(`${role} ${expected ? "misses" : "sees"} ${summary}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("every kind of record has a reader decision, and every approval subject is a kind of record", () => {
    expect(Object.keys(mayRead).sort()).toEqual(Object.keys(recordReadPermission).sort());
    for (const subject of approvalSubjectTypes) expect(Object.keys(recordReadPermission)).toContain(subject);
  });

  test("a type that is not listed is refused, so none is published without a decision", () => {
    // publishEvent takes only listed types (EventType); this is the guard for a caller that casts.
    const unlisted = "payroll.exported" as EventType;
    expect(() =>
      publishEvent(
        box.deps.db,
        { orgId, userId: null },
        { type: unlisted, subjectType: "payroll", subjectId: "x", summary: "x" },
      ),
    ).toThrow("Unknown event type payroll.exported");
    expect(() =>
      publishEvent(
        box.deps.db,
        { orgId, userId: null },
        { type: "approval.requested", subjectType: "approval", subjectId: "x", summary: "x" },
      ),
    ).toThrow("must say what its request approves");
  });
});
