import { afterAll, beforeAll, expect } from "bun:test";
import { rmSync } from "node:fs";
import { apiAs, type Call } from "../auth/people/people-test-kit.ts";
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
  "settings applied without a shell; back up now and test restore run once each and succeed",
  async () => {
    const saved = await admin("PUT", "/api/v1/backups/settings", { enabled: true, directory: mirror });
    expect(saved.status).toBe(200);
    await until((status) => status.replicas[0]?.lastReplicatedAt != null, "the first replicated segment");
    // snapshotNow() counts a snapshot from up to a second before the request (Litestream logs whole seconds).
    await Bun.sleep(1100);

    const before = Date.now();
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
    expect(Date.parse(done.replicas[0]?.lastSnapshotAt ?? "")).toBeGreaterThanOrEqual(before - 1000);
    expect(done.process).toMatchObject({ state: "running" });

    const snapshots = (await (await admin("GET", "/api/v1/backups/snapshots")).json()) as {
      data: { replica: string; sizeBytes: number; createdAt: string }[];
    };
    expect(snapshots.data.length).toBeGreaterThanOrEqual(2);
    expect(snapshots.data[0]).toMatchObject({ replica: "directory" });
    expect(snapshots.data[0]?.sizeBytes).toBeGreaterThan(0);

    const verify = await admin("POST", "/api/v1/backups/verify");
    expect(verify.status).toBe(202);
    const verified = await until((status) => status.jobs.verify?.state !== "running", "the test restore");
    expect(verified.jobs.verify?.state).toBe("succeeded");
    expect(verified.lastVerification).toMatchObject({ ok: true, replica: "directory" });

    const panel = await box.fetch("/settings/backups/snapshots", { headers: { Cookie: cookie } });
    expect(panel.status).toBe(200);
    expect(await panel.text()).toContain('id="backup-snapshots"');
  },
  30_000,
);
