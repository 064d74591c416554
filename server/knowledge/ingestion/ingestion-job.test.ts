import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { testModelEnv, testModelPath, testWith } from "../../testing/test-model.ts";
import type { DocumentJson } from "../schemas.ts";
import { makePdf, uploadAs, waitForDocument } from "../test-kit.ts";
import { INGESTION_JOB } from "./job.ts";

type RunJson = {
  id: string;
  jobId: string;
  status: string;
  trigger: string;
  result: { summary: string | null } | null;
  progress: { percent: number; message: string | null };
};

let box: TestApp;
let orgA = "";
let adminA = "";
let orgB = "";
let adminB = "";
let memberA = "";

beforeAll(async () => {
  box = await startInProcessApp();
  const setup = await setUpBox(box);
  orgA = setup.orgId;
  adminA = setup.adminId;
  ({ orgId: orgB, adminId: adminB } = await createOrganization(box, "Beta"));
  memberA = await createUser(box, { orgId: orgA, role: "member" });
});
afterAll(() => box.close());

const cookieOf = (userId: string, orgId: string) => sessionCookie(box, userId, orgId);

async function ingestionRuns(userId: string, orgId: string, status = "", on = box): Promise<RunJson[]> {
  const response = await on.fetch(`/api/v1/jobs?jobId=${INGESTION_JOB}${status ? `&status=${status}` : ""}`, {
    headers: consoleHeaders(on, sessionCookie(on, userId, orgId)),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: RunJson[] }).data;
}

async function upload(userId: string, orgId: string, pages: number, name: string, on = box): Promise<string> {
  const pdf = await makePdf(
    Array.from({ length: pages }, (_, page) => ({
      heading: `Part ${page + 1}`,
      lines: Array.from({ length: 30 }, (_, line) => `Line ${line + 1} of part ${page + 1}: torque the flange bolts.`),
    })),
  );
  const response = await uploadAs(on, sessionCookie(on, userId, orgId), pdf, name);
  expect(response.status).toBe(202);
  return ((await response.json()) as DocumentJson).id;
}

describe("the ingestion queue on the job runtime", () => {
  test("an upload is read by a run of knowledge.ingestion that its organisation's admins see, and no one else", async () => {
    const id = await upload(adminA, orgA, 2, "pump-manual.pdf");
    expect((await waitForDocument(box, cookieOf(adminA, orgA), id)).status).toBe("indexed");
    const runs = await ingestionRuns(adminA, orgA);
    expect(runs[0]).toMatchObject({ jobId: INGESTION_JOB, status: "succeeded", trigger: "event" });
    expect(runs[0]?.result?.summary).toContain("pump-manual.pdf");
    expect(await ingestionRuns(adminB, orgB)).toEqual([]);
    const forbidden = await box.fetch(`/api/v1/jobs?jobId=${INGESTION_JOB}`, {
      headers: consoleHeaders(box, cookieOf(memberA, orgA)),
    });
    expect(forbidden.status).toBe(403);
  });
});

// With an embedding model the run awaits the model between batches, so requests are answered meanwhile.
testWith(
  "model",
  "cancelling a running ingestion run fails the document in hand; another organisation cannot",
  async () => {
    const modelBox = await startInProcessApp({ env: testModelEnv(testModelPath() ?? "") });
    try {
      const setup = await setUpBox(modelBox);
      const other = await createOrganization(modelBox, "Gamma");
      const as = (userId: string, orgId: string) => ({
        ...consoleHeaders(modelBox, sessionCookie(modelBox, userId, orgId)),
        "Content-Type": "application/json",
      });
      const id = await upload(setup.adminId, setup.orgId, 60, "big-catalogue.pdf", modelBox);
      let running: RunJson | undefined;
      for (let tries = 0; !running && tries < 500; tries++) {
        running = (await ingestionRuns(setup.adminId, setup.orgId, "running", modelBox))[0];
        if (!running) await Bun.sleep(10);
      }
      if (!running) throw new Error("the ingestion run was never seen running");
      const cancel = (headers: Record<string, string>) =>
        modelBox.fetch(`/api/v1/jobs/${running?.id}/cancel`, { method: "POST", headers, body: "{}" });
      expect((await cancel(as(other.adminId, other.orgId))).status).toBe(404);
      const cancelled = await cancel(as(setup.adminId, setup.orgId));
      expect(cancelled.status).toBe(200);
      expect(((await cancelled.json()) as RunJson).status).toBe("cancelled");
      const document = await waitForDocument(modelBox, sessionCookie(modelBox, setup.adminId, setup.orgId), id);
      expect(document).toMatchObject({ status: "failed" });
      expect(document.statusReason).toContain("cancelled by an admin");
    } finally {
      await modelBox.close();
    }
  },
);
