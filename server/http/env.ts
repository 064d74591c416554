import type { AiRuntime } from "../ai/runtime.ts";
import type { Auth } from "../auth/context.ts";
import type { Keyring } from "../auth/secrets.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db.ts";
import type { Lifecycle } from "../lifecycle.ts";
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
  };
};
