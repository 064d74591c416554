import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { users } from "../../models/identity.ts";
import { timeEntries } from "../../models/time.ts";
import { tasks } from "../../models/work.ts";
import { apiAs } from "../auth/people/people-test-kit.ts";
import { databasePath } from "../db.ts";
import { uploadAs, waitForDocument } from "../knowledge/test-kit.ts";
import { storedFilePath } from "../knowledge/upload/files.ts";
import type { TestApp } from "../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";

let box: TestApp;
let orgId = "";
let adminCookie = "";
beforeAll(async () => {
  box = await startInProcessApp();
  const setUp = await setUpBox(box);
  orgId = setUp.orgId;
  adminCookie = sessionCookie(box, setUp.adminId, orgId);
});
afterAll(() => box.close());

/** A person with a trail everywhere a business keeps one: invitation mail, audit, tasks, comments, time, a customer record, an upload. */
async function personWithTrail(email: string, name: string) {
  const admin = apiAs(box, adminCookie);
  const invited = await admin("POST", "/api/v1/users", { email, name, role: "member" });
  expect(invited.status).toBe(201);
  const userId = ((await invited.json()) as { id: string }).id;
  box.deps.db.update(users).set({ status: "active", passwordHash: "x" }).where(eq(users.id, userId)).run();
  const cookie = sessionCookie(box, userId, orgId);
  const me = apiAs(box, cookie);
  const task = (await (
    await admin("POST", "/api/v1/tasks", { title: "Count the stock", assigneeId: userId })
  ).json()) as { id: string };
  expect((await me("POST", `/api/v1/tasks/${task.id}/comments`, { body: `Done. Questions to ${email}` })).status).toBe(
    201,
  );
  expect((await me("PATCH", `/api/v1/tasks/${task.id}`, { status: "in_progress" })).status).toBe(200);
  expect((await me("POST", "/api/v1/time-entries", { date: "2026-12-01", minutes: 90, taskId: task.id })).status).toBe(
    201,
  );
  expect(
    (await admin("POST", "/api/v1/customers", { name: "Home address account", email, currency: "EUR" })).status,
  ).toBe(201);
  const upload = await uploadAs(box, cookie, `# Notes\n\nWritten by ${email}.\n`, "notes.md");
  expect(upload.status).toBe(202);
  const document = (await upload.json()) as { id: string };
  await waitForDocument(box, cookie, document.id);
  return { userId, cookie, taskId: task.id, documentId: document.id };
}

function databaseBytesContain(needle: string): string[] {
  const path = databasePath(box.dataDir);
  return [path, `${path}-wal`]
    .filter((file) => existsSync(file) && readFileSync(file).includes(Buffer.from(needle)))
    .map((file) => file.slice(file.lastIndexOf("/") + 1));
}

describe("erasing a person who belongs to this organisation only", () => {
  test("leaves no trace of their e-mail address in the database file, FTS tables included", async () => {
    const email = "nina.novak@erase-me.example";
    const nina = await personWithTrail(email, "Nina Novak");
    const sha256 = (await (await apiAs(box, adminCookie)("GET", `/api/v1/documents/${nina.documentId}`)).json()) as {
      sha256: string;
    };
    box.deps.db.$client.run("PRAGMA wal_checkpoint(TRUNCATE)");
    expect(databaseBytesContain(email).length).toBeGreaterThan(0);

    const response = await apiAs(box, adminCookie)("POST", `/api/v1/users/${nina.userId}/erase`, { uploads: "delete" });
    expect(response.status).toBe(200);
    const erasure = (await response.json()) as { scope: string; pseudonym: string; documentsDeleted: number };
    expect(erasure).toMatchObject({ scope: "account", documentsDeleted: 1 });
    expect(erasure.pseudonym).toMatch(/^Erased person [0-9A-Z]{4}$/);

    box.deps.db.$client.run("VACUUM");
    box.deps.db.$client.run("PRAGMA wal_checkpoint(TRUNCATE)");
    expect(databaseBytesContain(email)).toEqual([]);
    // Names spelled out in kept history (event summaries, audit details) became the pseudonym too.
    expect(databaseBytesContain("Nina Novak")).toEqual([]);
    expect(existsSync(storedFilePath(box.dataDir, sha256.sha256))).toBe(false);

    // The business keeps its records: the task and the time entry now point at the stand-in.
    const task = box.deps.db.select().from(tasks).where(eq(tasks.id, nina.taskId)).get();
    expect(task?.assigneeId).not.toBe(nina.userId);
    const standIn = box.deps.db
      .select()
      .from(users)
      .where(eq(users.id, task?.assigneeId ?? ""))
      .get();
    expect(standIn).toMatchObject({ name: erasure.pseudonym, status: "deactivated", passwordHash: null });
    expect(
      box.deps.db
        .select()
        .from(timeEntries)
        .where(eq(timeEntries.userId, standIn?.id ?? ""))
        .all(),
    ).toHaveLength(1);
    expect(box.deps.db.select().from(users).where(eq(users.id, nina.userId)).get()).toBeUndefined();
    // Their session is gone with the account.
    expect((await apiAs(box, nina.cookie)("GET", "/api/v1/me")).status).toBe(401);

    const audit = box.deps.db.select().from(auditEvents).where(eq(auditEvents.action, "user.erased")).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      orgId,
      targetId: standIn?.id,
      details: { pseudonym: erasure.pseudonym, scope: "account", uploads: "delete" },
    });
    expect(JSON.stringify(audit[0])).not.toContain(email);
  });

  test("reassigns their uploads to the member the admin chose", async () => {
    const ben = await personWithTrail("ben@erase-me.example", "Ben Baker");
    const keeper = await createUser(box, { orgId, role: "member", email: "keeper@example.com" });
    const admin = apiAs(box, adminCookie);
    const response = await admin("POST", `/api/v1/users/${ben.userId}/erase`, {
      uploads: "reassign",
      reassignTo: keeper,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ documentsReassigned: 1, documentsDeleted: 0 });
    const document = (await (await admin("GET", `/api/v1/documents/${ben.documentId}`)).json()) as {
      uploadedBy: string;
    };
    expect(document.uploadedBy).toBe(keeper);
  });

  test("answers 422 on reassignTo for someone who is not a member", async () => {
    const cleo = await createUser(box, { orgId, role: "member" });
    const response = await apiAs(box, adminCookie)("POST", `/api/v1/users/${cleo}/erase`, {
      uploads: "reassign",
      reassignTo: "usr_nobody",
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe(
      "reassignTo",
    );
  });

  test("refuses to erase yourself (409) and a viewer gets 403", async () => {
    const admin = box.deps.db.select().from(users).where(eq(users.email, "admin@example.com")).get();
    const self = await apiAs(box, adminCookie)("POST", `/api/v1/users/${admin?.id}/erase`, { uploads: "delete" });
    expect(self.status).toBe(409);
    const viewer = await createUser(box, { orgId, role: "viewer" });
    const target = await createUser(box, { orgId, role: "member" });
    const refused = await apiAs(box, sessionCookie(box, viewer, orgId))("POST", `/api/v1/users/${target}/erase`, {
      uploads: "delete",
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("forbidden");
  });
});
