import type { AiRuntime } from "../ai/runtime.ts";
import type { Auth } from "../auth/sessions/context.ts";
import type { BackupSupervisor } from "../backup/supervisor.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db.ts";
import type { JobScheduler } from "../jobs/scheduler.ts";
import type { Lifecycle } from "../lifecycle.ts";
import type { BackupStatus } from "../ops/backup-status.ts";
import type { Metrics } from "../ops/metrics/metrics.ts";
import type { Keyring } from "../tools/secrets.ts";
import type { Logger } from "./logger.ts";

/** What the process hands every request: built once in main.ts, never per request. */
export type AppDeps = {
  config: Config;
  db: Db;
  log: Logger;
  lifecycle: Lifecycle;
  keyring: Keyring;
  /** The local models (chat, embeddings, extraction). */
  ai: AiRuntime;
  /** What /metrics shows; requests and timed jobs record into it. */
  metrics: Metrics;
  /** Where the backup module publishes replication and backup health (ops/backup-status.ts). */
  backupStatus: BackupStatus;
  /** The Litestream child's supervisor; absent in boxes built for tests without a server. */
  backup?: BackupSupervisor;
  /** The background-job scheduler (server/jobs/); absent in boxes built for tests without one. */
  jobs?: JobScheduler;
};

/** The signed-in person's organisations and waiting invitations, read on demand (auth/account-menu.ts). */
export type AccountMenu = {
  organizations: () => { id: string; name: string; role: string }[];
  pendingInvitations: () => number;
};

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    /** The process logger bound to this request's id. */
    log: Logger;
    requestId: string;
    /** The client's address, through a trusted proxy when there is one. */
    clientIp: string;
    /** Who is calling, when anyone: set by authenticate(). */
    auth: Auth | null;
    /** Set for a signed-in session by accountMenu(). */
    accountMenu?: AccountMenu;
    /** Set for a signed-in session in an organisation by notifications/bell.ts: the bell's count and newest items. */
    notificationBell?: () => {
      unread: number;
      latest: { id: string; title: string; createdAt: Date; read: boolean }[];
      live: boolean;
    };
    /** Set for the instance admin by ops/self-check/banner.ts: what the self-check finds wrong, if anything. */
    healthAlert?: () => { problems: string[]; since: Date } | null;
  };
};
