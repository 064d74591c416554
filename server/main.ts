import type { Server } from "bun";
import { wakeDocumentInbox } from "./agents/document-inbox-wake.ts";
import { agentJobs } from "./agents/registry.ts";
import { adoptModelFiles } from "./ai/adopt.ts";
import { createLlamaRuntime } from "./ai/llama-runtime.ts";
import { stopPulls } from "./ai/model-pull.ts";
import { failInterruptedPulls } from "./ai/models-service.ts";
import { type App, createApp } from "./app.ts";
import { FileBackup } from "./backup/files/file-backup.ts";
import { backupReport } from "./backup/report.ts";
import { listenForBackupSignals } from "./backup/signals.ts";
import { BackupSupervisor } from "./backup/supervisor.ts";
import { onBroadcastWake } from "./broadcasts/wake.ts";
import { type Config, ConfigError, loadConfig, readSecretKeyFile } from "./config.ts";
import { closeDatabase, type Db, databasePath, openDatabase } from "./db.ts";
import { ensureDiskReserve } from "./http/disk-space.ts";
import type { AppDeps } from "./http/env.ts";
import { createLogger, type Logger } from "./http/logger.ts";
import { startInboundMail } from "./inbound-mail/workers.ts";
import { inboundReplyTargets } from "./inbound-replies.ts";
import { JobScheduler } from "./jobs/scheduler.ts";
import { systemJobs } from "./jobs/system-jobs.ts";
import { prepareIngestion } from "./knowledge/ingestion/job.ts";
import { stopVectorWorkers } from "./knowledge/ingestion/vector-workers.ts";
import { onIngestionWake } from "./knowledge/ingestion/wake.ts";
import { Lifecycle } from "./lifecycle.ts";
import { createOutboxSending, prepareOutbox } from "./mail/outbox-job.ts";
import { onOutboxWake } from "./mail/wake.ts";
import { migrate, SchemaTooNewError } from "./migrate.ts";
import { startNotifier } from "./notifications/job.ts";
import { BackupStatus } from "./ops/backup-status.ts";
import { createMetrics } from "./ops/metrics/metrics.ts";
import { SelfCheck } from "./ops/self-check/self-check.ts";
import { isSetupComplete } from "./setup/state.ts";
import { ensureSetupToken } from "./setup/token.ts";
import { removePidFile, writePidFile } from "./tools/pid-file.ts";
import { createKeyring } from "./tools/secrets.ts";

export type RunningServer = {
  config: Config;
  deps: AppDeps;
  app: App;
  server: Server<undefined>;
  url: string;
  /** Drains HTTP, runs stop hooks, closes the database. Safe to call more than once. */
  stop: (reason: string) => Promise<void>;
};

export type StartOptions = {
  env?: Record<string, string | undefined>;
  /** Extra routes, for tests that need a slow or failing handler. */
  extend?: (app: App) => void;
  log?: Logger;
};

/** config → database → migrations → app → listen. Throws ConfigError or SchemaTooNewError. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = loadConfig(options.env ?? process.env);
  const log = options.log ?? createLogger(config.logLevel);
  const db = openDatabase(databasePath(config.dataDir));
  let applied: string[];
  try {
    applied = migrate(db);
  } catch (error) {
    db.$client.close();
    throw error;
  }
  if (applied.length > 0) log.info({ migrations: applied }, "database migrated");
  // Room kept aside so that deletes still work once the disk is full (they are how space comes back).
  if (!ensureDiskReserve(config.dataDir))
    log.warn("the disk is nearly full: no room for the reserve that keeps deletes working");

  if (!isSetupComplete(db)) {
    const token = ensureSetupToken(db, config.dataDir);
    // The one secret that is logged on purpose: whoever reads the journal owns the box anyway.
    log.info({ setupUrl: `${config.baseUrl}/setup?token=${token}` }, "this box is not set up yet: open the setup URL");
  }

  const lifecycle = new Lifecycle(log);
  const keyring = createKeyring(
    config.secretKey,
    config.previousSecretKeys,
    config.secretKeySource === "file" ? () => readSecretKeyFile(config.dataDir) : undefined,
  );
  const files = new FileBackup({ config, db, keyring, log });
  const backup = new BackupSupervisor({ config, db, keyring, log, onApplied: () => files.wake() });
  // Registered first, so it stops last: Litestream's final sync sees every write the other hooks finish.
  lifecycle.onStop("backups", () => backup.stop());
  await backup.start();
  lifecycle.onStop("backup-files", () => files.stop());
  files.start();
  const interrupted = failInterruptedPulls(db);
  if (interrupted > 0)
    log.warn({ models: interrupted }, "model downloads interrupted by the restart were marked failed");
  // Without a configured or chosen model this costs nothing: node-llama-cpp loads on first use.
  const ai = await createLlamaRuntime({ config, db, log });
  lifecycle.onStop("ai", () => ai.close());
  lifecycle.onStop("model-pulls", () => stopPulls());
  const backupStatus = new BackupStatus();
  const metrics = createMetrics({ db, dataDir: config.dataDir, ai, backupStatus });
  const deps: AppDeps = { config, db, log, lifecycle, keyring, ai, metrics, backupStatus, backup };
  backupStatus.register(() => backupReport({ db, keyring, config }, backup.status()));
  const outbox = createOutboxSending(deps);
  // Registered before the job runtime's hook, so it runs after it: the outbox's runs finish the
  // messages in the provider's hands within the deadline, then its pooled connections close.
  lifecycle.onStop("mail-outbox", () => outbox.close());
  const jobs = new JobScheduler({
    db,
    log,
    baseUrl: config.baseUrl,
    jobs: [
      ...systemJobs({
        db,
        config,
        log,
        keyring,
        ai,
        selfCheck: new SelfCheck(deps),
        files,
        outbox,
        // A read document may be a supplier's bill: the Document inbox looks at once where it is on.
        onIngested: (orgId) => wakeDocumentInbox(db, jobs, orgId),
      }),
      ...agentJobs({ db, log, keyring, baseUrl: config.baseUrl, dataDir: config.dataDir, ai }),
    ],
    countJobRun: metrics.countJobRun,
  });
  deps.jobs = jobs;
  const app = createApp(deps, options.extend);
  startNotifier(deps);
  prepareIngestion({ db, log, config, ai });
  prepareOutbox({ db, log });
  const wakeUps = [
    onIngestionWake(() => jobs.wake()),
    onBroadcastWake(() => jobs.wake()),
    onOutboxWake(() => jobs.wake()),
  ];
  // Registered after the models' hook, so it stops first: a document mid-embedding is put back, not broken.
  // Running steps get until the stop deadline; what is left goes back to the queue for the next start.
  lifecycle.onStop("jobs", (deadline) => {
    for (const unregister of wakeUps) unregister();
    return jobs.stop(deadline);
  });
  jobs.start();
  const inboundDeps = {
    db,
    keyring,
    log,
    dataDir: config.dataDir,
    maxUploadBytes: config.maxUploadBytes,
    replyTargets: inboundReplyTargets,
  };
  const inboundMail = startInboundMail(inboundDeps);
  // Registered after the jobs' hook (ingestion is a job), so it stops first: no message is handed to a stopped queue.
  lifecycle.onStop("inbound-mail", () => inboundMail.stop());
  if (config.smtpReceive) {
    // smtp-server only on a box that receives by SMTP.
    const { startSmtpEndpoint } = await import("./inbound-mail/smtp-endpoint.ts");
    const smtp = await startSmtpEndpoint(inboundDeps, config.smtpReceive);
    lifecycle.onStop("smtp-receive", () => smtp.stop());
  }
  // Search's vector worker threads hold read-only connections: closed before the database is.
  lifecycle.onStop("search-workers", () => stopVectorWorkers());
  const server = Bun.serve({
    port: config.port,
    hostname: config.host,
    fetch: app.fetch,
    development: false,
    // Uploads enforce their own limit (OPSBOX_MAX_UPLOAD_BYTES); Bun's default of 128 MB must not cut it shorter.
    maxRequestBodySize: Math.max(config.maxUploadBytes, config.maxBodyBytes) + 1024 * 1024,
  });
  const url = `http://${server.hostname}:${server.port}`;
  writePidFile(config.dataDir);
  const stopListening = listenForBackupSignals(backup, log);
  log.info({ url, baseUrl: config.baseUrl, dataDir: config.dataDir }, "opsbox listening");
  // After listening, in the background: loading a model must never delay the first request.
  ai.warmUp?.();
  adoptModelFiles(deps).then(
    (chose) => chose && ai.warmUp?.(),
    (error) => log.error({ err: error }, "could not look for model files"),
  );

  let stopping: Promise<void> | null = null;
  const stop = (reason: string) => {
    stopListening();
    stopping ??= shutdown({ server, db, lifecycle, log, deadlineMs: config.shutdownTimeoutMs, reason }).finally(() =>
      removePidFile(config.dataDir),
    );
    return stopping;
  };
  return { config, deps, app, server, url, stop };
}

async function shutdown(parts: {
  server: Server<undefined>;
  db: Db;
  lifecycle: Lifecycle;
  log: Logger;
  deadlineMs: number;
  reason: string;
}): Promise<void> {
  const { server, db, lifecycle, log } = parts;
  const deadline = Date.now() + parts.deadlineMs;
  lifecycle.stopping = true;
  // Logged once the listener is closed, so that the line means what it says.
  const draining = server.stop(false).then(() => true);
  log.info({ reason: parts.reason }, "stopping: no new connections, finishing requests");
  const drained = await Promise.race([draining, Bun.sleep(parts.deadlineMs).then(() => false)]);
  if (!drained) {
    log.warn("requests still running at the deadline; closing their connections");
    await server.stop(true);
  }
  await lifecycle.runStopHooks(deadline);
  closeDatabase(db);
  log.info("stopped");
}

/**
 * The process entry: start, or print one line and exit 1 on bad configuration or a too-new
 * database; SIGTERM and SIGINT stop gracefully and exit 0.
 */
export async function main(options: StartOptions = {}): Promise<RunningServer> {
  // Everything Opsbox writes (database, WAL, files, keys) is for its own user only.
  process.umask(0o077);
  // Handlers come before the server listens: until a process has its own, a SIGTERM kills it on
  // the spot (exit 143), and whoever saw "opsbox listening" may send one at once. A signal that
  // comes while the server is still starting stops it as soon as it has started.
  let running: RunningServer | null = null;
  let signalled: string | null = null;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (running) stopAndExit(running, signal);
      else signalled ??= signal;
    });
  }
  try {
    running = await startServer(options);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof SchemaTooNewError) {
      process.stderr.write(`opsbox: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (signalled) stopAndExit(running, signalled);
  return running;
}

function stopAndExit(running: RunningServer, reason: string): void {
  running.stop(reason).then(
    () => process.exit(0),
    (error) => {
      running.deps.log.fatal({ err: error }, "stop failed");
      process.exit(1);
    },
  );
}

// Not awaited: top-level await cannot be bundled as CommonJS, the format of `npm start`'s bundle
// (scripts/build-server.ts). A failure is still an unhandled rejection that ends the process.
if (import.meta.main) void main();
