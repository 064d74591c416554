import { AUDIT_RETENTION_JOB, pruneExpiredAuditEvents } from "../audit/retention.ts";
import { describeAuthHousekeeping, removeExpiredAuthRows } from "../auth/housekeeping.ts";
import type { FileBackup } from "../backup/files/file-backup.ts";
import { broadcastDeliveryJob } from "../broadcasts/job.ts";
import type { AppDeps } from "../http/env.ts";
import { ingestionJob } from "../knowledge/ingestion/job.ts";
import { type OutboxSending, outboxJob } from "../mail/outbox-job.ts";
import { NOTIFICATION_MAIL_JOB, NOTIFICATION_PRUNE_JOB } from "../notifications/job.ts";
import { mailWaitingNotifications } from "../notifications/mail.ts";
import { pruneNotifications } from "../notifications/retention.ts";
import { SELF_CHECK_JOB, type SelfCheck } from "../ops/self-check/self-check.ts";
import { applyRetention } from "../privacy/retention.ts";
import { DATA_RETENTION_JOB } from "../privacy/retention-job.ts";
import { OVERDUE_INVOICES_JOB } from "../work/invoices/overdue-job.ts";
import { markOverdueInvoices } from "../work/invoices/transitions.ts";
import { reportSchedulesJob } from "../work/reports/schedules/job.ts";
import type { JobDefinition, JobResult } from "./definition.ts";
import { pruneRunHistory } from "./runs.ts";

export const FILE_BACKUP_JOB = "backup.files";
export const JOB_HISTORY_JOB = "jobs.history";
export const AUTH_HOUSEKEEPING_JOB = "auth.housekeeping";

const MINUTE = 60_000;
const DAY_MS = 86_400_000;
const once = { attempts: 1, firstDelayMs: 2_000, maxDelayMs: 10_000 };
const said = (count: number, text: string): JobResult | undefined =>
  count > 0 ? { summary: text.replace("#", String(count)) } : undefined;

/**
 * What system jobs need: the box's parts, and the self-check, file backup and outbox sending
 * main.ts made (the CLI, which only lists and queues, has none of them).
 */
export type SystemJobDeps = Pick<AppDeps, "db" | "config" | "log" | "keyring"> & {
  selfCheck?: SelfCheck;
  files?: FileBackup;
  outbox?: OutboxSending;
  ai?: AppDeps["ai"];
  /** A document finished ingesting (main.ts wakes the Document inbox agent). */
  onIngested?: (orgId: string, documentId: string) => void;
};

const serverOnly = (): never => {
  throw new Error("This job runs only in the server.");
};

/**
 * The box's own background work. The daily ones also run soon after a start, catching up on
 * what a stopped box missed; the frequent ones keep history only of runs that did something.
 * The queues (ingestion, broadcast delivery, the outbox) run when work waits in them.
 */
export function systemJobs(deps: SystemJobDeps): JobDefinition[] {
  const { db, config, log, keyring } = deps;
  return [
    ingestionJob(deps),
    broadcastDeliveryJob(deps),
    outboxJob({ db, sending: deps.outbox }),
    {
      id: OVERDUE_INVOICES_JOB,
      title: "Overdue invoices",
      description: "Turns sent invoices past their due date overdue (hourly, and at start).",
      scope: "box",
      schedule: { cron: "0 * * * *" },
      runAtStart: true,
      timeoutMs: 5 * MINUTE,
      history: "notable",
      run: (ctx) => said(markOverdueInvoices(db, ctx.now()), "Marked # invoice(s) overdue."),
    },
    {
      id: AUDIT_RETENTION_JOB,
      title: "Audit log retention",
      description:
        "Deletes audit events older than each organisation's audit retention (daily at 03:15 UTC, and at start).",
      scope: "box",
      schedule: { cron: "15 3 * * *" },
      runAtStart: true,
      timeoutMs: 15 * MINUTE,
      run: (ctx) => said(pruneExpiredAuditEvents(db, ctx.now()), "Deleted # audit event(s) past retention."),
    },
    {
      id: DATA_RETENTION_JOB,
      title: "Data retention",
      description: "Deletes records past each organisation's data retention (daily at 03:30 UTC, and at start).",
      scope: "box",
      schedule: { cron: "30 3 * * *" },
      runAtStart: true,
      timeoutMs: 30 * MINUTE,
      run: (ctx) => {
        let deleted = 0;
        for (const [orgId, counts] of applyRetention(db, config.dataDir, ctx.now())) {
          const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
          deleted += total;
          ctx.log(`Organisation ${orgId}: deleted ${total} record(s).`);
          log.info({ job: DATA_RETENTION_JOB, orgId, deleted: counts }, "deleted records past retention");
        }
        return said(deleted, "Deleted # record(s) past retention.");
      },
    },
    {
      id: AUTH_HOUSEKEEPING_JOB,
      title: "Expired sessions and links",
      description:
        "Deletes sessions past their expiry, used or expired password-reset and invitation links, membership invitations 30 days past expiry and stale sign-in failure counts (daily at 03:20 UTC, and at start).",
      scope: "box",
      schedule: { cron: "20 3 * * *" },
      runAtStart: true,
      timeoutMs: 5 * MINUTE,
      history: "notable",
      run: (ctx) => {
        const summary = describeAuthHousekeeping(removeExpiredAuthRows(db, ctx.now()));
        return summary ? { summary } : undefined;
      },
    },
    {
      id: NOTIFICATION_MAIL_JOB,
      title: "Notification e-mails",
      description: "Writes the notification e-mails that are due to the outbox (every 15 s).",
      scope: "box",
      schedule: { everyMs: 15_000 },
      timeoutMs: MINUTE,
      retry: once,
      history: "notable",
      quarantineAfter: null,
      run: (ctx) =>
        said(
          mailWaitingNotifications({ db, log, keyring, baseUrl: config.baseUrl }, ctx.now()),
          "Queued # notification e-mail(s).",
        ),
    },
    {
      id: NOTIFICATION_PRUNE_JOB,
      title: "Old notifications",
      description: "Deletes read notifications past their keeping time (hourly).",
      scope: "box",
      schedule: { cron: "5 * * * *" },
      timeoutMs: 5 * MINUTE,
      history: "notable",
      run: (ctx) => said(pruneNotifications(db, ctx.now()), "Deleted # old notification(s)."),
    },
    {
      id: SELF_CHECK_JOB,
      title: "Self-check",
      description:
        "Looks at disk, database, replication and backups, and tells the instance admins when one goes bad or good again.",
      scope: "box",
      schedule: { everyMs: config.selfCheckIntervalMs },
      timeoutMs: MINUTE,
      retry: once,
      history: "notable",
      // The self-check is how the box tells its admins that something is wrong: it is never silenced.
      quarantineAfter: null,
      run: (ctx) => {
        const outcome = (deps.selfCheck ?? serverOnly()).run(ctx.now());
        return outcome === "unchanged"
          ? undefined
          : { summary: `Health ${outcome}.`, links: [{ label: "Monitoring", href: "/settings/monitoring" }] };
      },
    },
    {
      id: FILE_BACKUP_JOB,
      title: "File backup sweep",
      description:
        "Copies uploaded files not yet on every backup replica and prunes old copies (every 5 min; new uploads start a pass at once).",
      scope: "box",
      schedule: { everyMs: 5 * MINUTE },
      timeoutMs: 60 * MINUTE,
      retry: once,
      history: "notable",
      // Its failures are the self-check's to report (replication), and new uploads still start passes.
      quarantineAfter: null,
      run: async () => {
        const files = deps.files ?? serverOnly();
        if (!(await files.flush())) throw new Error(files.state().lastError ?? "A replica could not be written.");
        return undefined;
      },
    },
    {
      id: JOB_HISTORY_JOB,
      title: "Job history",
      description: `Deletes finished job runs older than ${config.jobHistoryDays} days (OPSBOX_JOB_HISTORY_DAYS; daily at 03:45 UTC, and at start).`,
      scope: "box",
      schedule: { cron: "45 3 * * *" },
      runAtStart: true,
      timeoutMs: 5 * MINUTE,
      history: "notable",
      run: (ctx) =>
        said(
          pruneRunHistory(db, new Date(ctx.now().getTime() - config.jobHistoryDays * DAY_MS)),
          "Deleted # old run(s).",
        ),
    },
    reportSchedulesJob({ db, log, keyring, dataDir: config.dataDir, baseUrl: config.baseUrl }),
  ];
}
