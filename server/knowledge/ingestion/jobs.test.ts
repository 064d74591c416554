import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { sql } from "drizzle-orm";
import { closeDatabase, databasePath, openDatabase } from "../../db.ts";
import { migrate } from "../../migrate.ts";
import { makeTempDir } from "../../testing/harness.ts";
import { claimNextJob, enqueueJob, listWaitingOrganizations } from "./jobs.ts";

const dir = makeTempDir("opsbox-ingestion-jobs-");
const db = openDatabase(databasePath(dir));
migrate(db);
// The claim is what is tested, not the documents: their rows are left out.
db.run(sql`PRAGMA foreign_keys = OFF`);
afterAll(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

test("a run takes its own organisation's work even while an older one's waits (retrying or quarantined)", () => {
  const earlier = new Date("2030-01-07T10:00:00Z");
  const now = new Date("2030-01-07T10:05:00Z");
  enqueueJob(db, { orgId: "org_a", documentId: "doc_a", kind: "ingest" }, earlier);
  enqueueJob(db, { orgId: "org_b", documentId: "doc_b", kind: "ingest" }, now);
  expect(listWaitingOrganizations(db).map((row) => row.orgId)).toEqual(["org_a", "org_b"]);
  // A's run cannot start now; the scheduler starts B's: it must find B's document, not stop empty.
  expect(claimNextJob(db, "org_b", now)).toMatchObject({ orgId: "org_b", documentId: "doc_b", status: "running" });
  expect(claimNextJob(db, "org_b", now)).toBeNull();
  expect(claimNextJob(db, "org_a", now)).toMatchObject({ orgId: "org_a", documentId: "doc_a" });
});
