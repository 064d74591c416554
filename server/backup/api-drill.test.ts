import { afterAll, beforeAll, expect } from "bun:test";
import { rmSync } from "node:fs";
import { apiAs, type Call } from "../auth/people/people-test-kit.ts";
import { uploadAs } from "../knowledge/test-kit.ts";
import { makeTempDir, type TestApp } from "../testing/harness.ts";
import { sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { testWith } from "../testing/tools.ts";
import type { BackupJob } from "./jobs.ts";
import type { BackupOverview } from "./overview.ts";

/* Back up now and test restore through the API, with the real litestream and a directory replica. */

let box: TestApp;
let admin: Call;
let cookie = "";
const mirror = makeTempDir("opsbox-api-drill-mirror-");
beforeAll(async () => {
  box = await startInProcessApp({ env: { OPSBOX_BACKUP_SYNC_INTERVAL_MS: "200" } });
  const acme = await setUpBox(box);
  cookie = sessionCookie(box, acme.adminId, acme.orgId);
  admin = apiAs(box, cookie);
});
afterAll(async () => {
  await box.close();
  rmSync(mirror, { recursive: true, force: true });
});

async function overview(): Promise<BackupOverview> {
  return (await (await admin("GET", "/api/v1/backups")).json()) as BackupOverview;
}

async function until(check: (status: BackupOverview) => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await overview();
    if (check(status)) return status;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(status)}`);
    await Bun.sleep(100);
  }
}

testWith(
  "litestream",
  "settings applied without a shell; files and key shown; back up now joins a running one, the next takes its own snapshot",
  async () => {
    const saved = await admin("PUT", "/api/v1/backups/settings", { enabled: true, directory: mirror });
    expect(saved.status).toBe(200);
    await until((status) => status.replicas[0]?.lastSnapshotAt != null, "the first generation's snapshot");
    // The uploaded files' copies and the key show in the status, and the files waiting in /metrics.
    const upload = await uploadAs(box, cookie, "Pump P-7: check the seal every 500 hours.", "pump.txt");
    expect(upload.status).toBe(202);
    const copied = await until((status) => status.files?.copied === 1, "the uploaded file's copy");
    expect(copied.files).toEqual({ copied: 1, waiting: 0 });
    expect(copied.key).toMatchObject({ exists: true, recipient: expect.stringMatching(/^age1/), exportedAt: null });
    expect(await (await box.fetch("/metrics")).text()).toContain("opsbox_backup_files_waiting 0");
    const panel = await (await box.fetch("/settings/backups/status", { headers: { Cookie: cookie } })).text();
    expect(panel).toContain('<dd id="backup-files">1 file copied, 0 waiting</dd>');

    const snapshotCount = async () =>
      ((await (await admin("GET", "/api/v1/backups/snapshots")).json()) as { data: unknown[] }).data.length;
    const initial = await snapshotCount();

    const first = await admin("POST", "/api/v1/backups/snapshot");
    expect(first.status).toBe(202);
    expect(first.headers.get("Location")).toBe("/api/v1/backups");
    const job = (await first.json()) as BackupJob;
    expect(job).toMatchObject({ kind: "snapshot", state: "running" });
    // A second click while it runs answers the running job and starts nothing.
    const second = (await (await admin("POST", "/api/v1/backups/snapshot")).json()) as BackupJob;
    expect(second.startedAt).toBe(job.startedAt);
    const done = await until((status) => status.jobs.snapshot?.state !== "running", "the snapshot");
    expect(done.jobs.snapshot).toMatchObject({ state: "succeeded", startedAt: job.startedAt });
    expect(done.process).toMatchObject({ state: "running" });
    expect(await snapshotCount()).toBe(initial + 1);

    // Asked again the moment it is done (within the second of the last snapshot): a snapshot of its own.
    const again = (await (await admin("POST", "/api/v1/backups/snapshot")).json()) as BackupJob;
    expect(again.startedAt).not.toBe(job.startedAt);
    const twice = await until((status) => status.jobs.snapshot?.state !== "running", "the second snapshot");
    expect(twice.jobs.snapshot).toMatchObject({ state: "succeeded", startedAt: again.startedAt });
    expect(twice.replicas[0]?.position?.split("/")[0]).not.toBe(done.replicas[0]?.position?.split("/")[0]);
    expect(await snapshotCount()).toBe(initial + 2);

    const snapshots = (await (await admin("GET", "/api/v1/backups/snapshots")).json()) as {
      data: { replica: string; sizeBytes: number; createdAt: string }[];
    };
    expect(snapshots.data.length).toBe(initial + 2);
    expect(snapshots.data[0]).toMatchObject({ replica: "directory" });
    expect(snapshots.data[0]?.sizeBytes).toBeGreaterThan(0);

    const verify = await admin("POST", "/api/v1/backups/verify");
    expect(verify.status).toBe(202);
    const verified = await until((status) => status.jobs.verify?.state !== "running", "the test restore");
    expect(verified.jobs.verify?.state).toBe("succeeded");
    expect(verified.lastVerification).toMatchObject({ ok: true, replica: "directory" });

    const listing = await box.fetch("/settings/backups/snapshots", { headers: { Cookie: cookie } });
    expect(listing.status).toBe(200);
    expect(await listing.text()).toContain('id="backup-snapshots"');
  },
  30_000,
);
