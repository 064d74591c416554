import { afterAll, beforeAll, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { jobRuns } from "../../models/jobs.ts";
import { uploadAs, waitForDocument } from "../knowledge/test-kit.ts";
import { writeOrganizationSetting } from "../organization-settings.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { wakeDocumentInbox } from "./document-inbox-wake.ts";
import { ENABLED_KEY } from "./settings.ts";

let box: TestApp;
let orgId = "";
let cookie = "";
let otherOrg = "";

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  orgId = acme.orgId;
  cookie = sessionCookie(box, acme.adminId, orgId);
  otherOrg = (await createOrganization(box, "Globex")).orgId;
  writeOrganizationSetting(box.deps.db, orgId, ENABLED_KEY, ["document-parser"], new Date());
});
afterAll(() => box.close());

const inboxRuns = (org: string) =>
  box.deps.db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.jobId, "document-parser"), eq(jobRuns.orgId, org)))
    .all();

test("a document that finishes ingesting starts a Document inbox run (trigger event) where the agent is on", async () => {
  const response = await uploadAs(box, cookie, "INVOICE No. 7\nTotal due EUR 274.89\n", "acme-bill.txt");
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  expect((await waitForDocument(box, cookie, id)).status).toBe("indexed");
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && !inboxRuns(orgId).some((run) => run.finishedAt)) await Bun.sleep(25);
  const [run] = inboxRuns(orgId);
  expect(run).toMatchObject({ trigger: "event", status: "succeeded" });
  expect(run?.resultText).toContain("no chat model is installed");
});

test("where the agent is off, nothing starts", () => {
  const jobs = box.deps.jobs;
  if (!jobs) throw new Error("the box has no scheduler");
  expect(wakeDocumentInbox(box.deps.db, jobs, otherOrg)).toBe(false);
  expect(inboxRuns(otherOrg)).toEqual([]);
});
