import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TestApp } from "../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { loopbackSmtpSettings, startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server.ts";
import { queueMail } from "./outbox.ts";
import { OUTBOX_JOB } from "./outbox-job.ts";
import { saveMailSettings } from "./settings.ts";

type RunJson = { jobId: string; organizationId: string | null; status: string; result: { summary: string | null } };

let box: TestApp;
let smtp: TestSmtpServer;
let orgA = "";
let adminA = "";
let orgB = "";
let adminB = "";
let memberA = "";

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  box = await startInProcessApp();
  ({ orgId: orgA, adminId: adminA } = await setUpBox(box));
  ({ orgId: orgB, adminId: adminB } = await createOrganization(box, "Beta"));
  memberA = await createUser(box, { orgId: orgA, role: "member" });
  saveMailSettings(box.deps.db, box.deps.keyring, loopbackSmtpSettings(smtp));
});
afterAll(async () => {
  await box.close();
  await smtp.close();
});

const as = (userId: string, orgId: string) => ({ headers: consoleHeaders(box, sessionCookie(box, userId, orgId)) });

test("a batch of the organisation's mail is one run of mail.outbox that its admins see on /api/v1/jobs and /jobs, and no one else", async () => {
  const before = smtp.received.length;
  box.deps.db.transaction((tx) => {
    for (let n = 0; n < 10; n++)
      queueMail(tx, box.deps.log, {
        orgId: orgA,
        to: `p${n}@example.com`,
        subject: "Hi",
        text: "x",
        template: "invoice",
      });
  });
  await smtp.waitFor(before + 10, 10_000);
  let runs: RunJson[] = [];
  for (let tries = 0; runs[0]?.status !== "succeeded" && tries < 100; tries++) {
    const response = await box.fetch(`/api/v1/jobs?jobId=${OUTBOX_JOB}`, as(adminA, orgA));
    expect(response.status).toBe(200);
    runs = ((await response.json()) as { data: RunJson[] }).data;
    if (runs[0]?.status !== "succeeded") await Bun.sleep(20);
  }
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ jobId: OUTBOX_JOB, organizationId: orgA, result: { summary: "Sent 10 messages." } });

  const other = await box.fetch(`/api/v1/jobs?jobId=${OUTBOX_JOB}`, as(adminB, orgB));
  expect(((await other.json()) as { data: RunJson[] }).data).toEqual([]);
  expect((await box.fetch(`/api/v1/jobs?jobId=${OUTBOX_JOB}`, as(memberA, orgA))).status).toBe(403);

  const page = await (await box.fetch("/jobs", as(adminA, orgA))).text();
  expect(page).toContain("E-mail outbox");
  expect(page).toContain("Sent 10 messages.");
  expect((await box.fetch("/jobs", as(memberA, orgA))).status).toBe(403);
});
