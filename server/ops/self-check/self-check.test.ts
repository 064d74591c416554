import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { mailMessages } from "../../../models/mail.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import type { BackupReport } from "../backup-status.ts";
import { findHealthState } from "./health-state.ts";
import { SelfCheck } from "./self-check.ts";

let box: TestApp;
let adminEmail = "";
let adminCookie = "";
let globexCookie = "";
let minFreeDiskBytes = 0;
beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  adminEmail = acme.adminEmail;
  adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
  const globex = await createOrganization(box, "Globex");
  globexCookie = sessionCookie(box, globex.adminId, globex.orgId);
  minFreeDiskBytes = box.config.minFreeDiskBytes;
});
afterAll(() => box.close());

let unregister: (() => void) | null = null;
afterEach(() => {
  box.config.minFreeDiskBytes = minFreeDiskBytes;
  unregister?.();
  unregister = null;
  new SelfCheck(box.deps).run();
  box.deps.db.delete(mailMessages).run();
});

/** The disk reads as short of space: what a full data directory looks like to every check. */
const fillDisk = () => {
  box.config.minFreeDiskBytes = Number.MAX_SAFE_INTEGER;
};
const healthMails = (template: string) =>
  box.deps.db
    .select()
    .from(mailMessages)
    .where(and(eq(mailMessages.template, template), eq(mailMessages.toAddress, adminEmail)))
    .all();
const backupReport = (report: Partial<BackupReport>) => {
  const full: BackupReport = {
    replicas: [],
    replicatorRunning: true,
    lastBackup: null,
    lastRestoreTest: null,
    ...report,
  };
  unregister = box.deps.backupStatus.register(() => full);
};
const pageAs = async (cookie: string) => (await box.fetch("/projects", { headers: { Cookie: cookie } })).text();

describe("the self-check", () => {
  test("a healthy box tells nobody anything", () => {
    expect(new SelfCheck(box.deps).run()).toBe("unchanged");
    expect(healthMails("health_alert")).toEqual([]);
  });

  test("a disk short of space alerts the instance admins once, however many runs see it", () => {
    const check = new SelfCheck(box.deps);
    fillDisk();
    const at = new Date("2025-03-01T10:00:00Z");
    expect(check.run(at)).toBe("alerted");
    expect(check.run(new Date(at.getTime() + 30_000))).toBe("unchanged");
    expect(check.run(new Date(at.getTime() + 60_000))).toBe("unchanged");
    const mails = healthMails("health_alert");
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe("Opsbox needs attention: disk space");
    expect(mails[0]?.textBody).toContain("- Disk space: Only");
    expect(mails[0]?.textBody).toContain("/settings/monitoring");
    expect(findHealthState(box.deps.db)).toMatchObject({ status: "failing", since: at.toISOString() });
  });

  test("a second problem while one is open updates the alert without another e-mail", () => {
    const check = new SelfCheck(box.deps);
    fillDisk();
    expect(check.run()).toBe("alerted");
    backupReport({ replicatorRunning: false });
    expect(check.run()).toBe("updated");
    expect(healthMails("health_alert")).toHaveLength(1);
    expect(findHealthState(box.deps.db)?.problems.map((item) => item.check)).toEqual(["disk", "backup"]);
  });

  test("when every check passes again the admins get one recovery notice", () => {
    const check = new SelfCheck(box.deps);
    fillDisk();
    const badAt = new Date("2025-03-01T10:00:00Z");
    check.run(badAt);
    box.config.minFreeDiskBytes = minFreeDiskBytes;
    expect(check.run(new Date(badAt.getTime() + 5 * 60_000))).toBe("recovered");
    expect(check.run(new Date(badAt.getTime() + 6 * 60_000))).toBe("unchanged");
    const recovered = healthMails("health_recovered");
    expect(recovered).toHaveLength(1);
    expect(recovered[0]?.textBody).toContain("after about 5 min");
    expect(recovered[0]?.textBody).toContain("- Disk space:");
  });

  test("a restart while the problem lasts does not alert again", () => {
    fillDisk();
    expect(new SelfCheck(box.deps).run()).toBe("alerted");
    expect(new SelfCheck(box.deps).run()).toBe("unchanged");
    expect(healthMails("health_alert")).toHaveLength(1);
  });

  test("replication lag beyond the limit and a failed backup come from the backup module's report", () => {
    const check = new SelfCheck(box.deps);
    backupReport({ replicas: [{ name: "s3", lagSeconds: 30 }] });
    expect(check.run()).toBe("unchanged");
    unregister?.();
    backupReport({
      replicas: [{ name: "s3", lagSeconds: box.config.maxReplicationLagSeconds + 1 }],
      lastBackup: { at: new Date(), ok: false, message: "bucket not found" },
    });
    expect(check.run()).toBe("alerted");
    const body = healthMails("health_alert")[0]?.textBody ?? "";
    expect(body).toContain(`- Backup replication: Replica s3 is ${box.config.maxReplicationLagSeconds + 1} s behind.`);
    expect(body).toContain("- Backup process: The last backup failed: bucket not found");
  });

  test("a backup provider that throws is a failed backup check", () => {
    unregister = box.deps.backupStatus.register(() => {
      throw new Error("litestream status unreadable");
    });
    expect(new SelfCheck(box.deps).run()).toBe("alerted");
    expect(findHealthState(box.deps.db)?.problems).toEqual([
      {
        check: "backup",
        label: "Backup process",
        message: "Cannot read the backup status: litestream status unreadable",
      },
    ]);
  });
});

describe("the console banner", () => {
  test("shows the instance admin what fails while it fails, and nobody else", async () => {
    expect(await pageAs(adminCookie)).not.toContain("health-alert");
    fillDisk();
    new SelfCheck(box.deps).run(new Date("2025-03-01T10:00:00Z"));
    const page = await pageAs(adminCookie);
    expect(page).toContain('class="container health-alert" role="alert"');
    expect(page).toContain("Disk space (since 2025-03-01 10:00 UTC)");
    expect(await pageAs(globexCookie)).not.toContain("health-alert");
    box.config.minFreeDiskBytes = minFreeDiskBytes;
    new SelfCheck(box.deps).run();
    expect(await pageAs(adminCookie)).not.toContain("health-alert");
  });
});

test("the server runs the self-check on its interval and stops it with the process", async () => {
  const quick = await startInProcessApp({
    env: { OPSBOX_SELF_CHECK_INTERVAL_MS: "50", OPSBOX_MIN_FREE_DISK_MB: String(1024 * 1024 * 1024) },
  });
  try {
    const { adminEmail: to } = await setUpBox(quick);
    const alerts = () =>
      quick.deps.db.select().from(mailMessages).where(eq(mailMessages.template, "health_alert")).all();
    for (let tries = 0; tries < 100 && alerts().length === 0; tries += 1) await Bun.sleep(20);
    expect(alerts().map((mail) => mail.toAddress)).toEqual([to]);
    await Bun.sleep(200);
    expect(alerts()).toHaveLength(1);
    expect(await (await quick.fetch("/metrics")).text()).toMatch(
      /opsbox_job_runs_total\{job="ops.self_check",status="succeeded"\} [2-9]/,
    );
  } finally {
    await quick.close();
  }
  // Stopped with the process: a run after the database closed would log its failure.
  await Bun.sleep(150);
  expect(
    quick.logs.filter((line) => line.job === "ops.self_check" && !["info", "warn"].includes(String(line.level))),
  ).toEqual([]);
});
