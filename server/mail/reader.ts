import type { Context } from "hono";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "../http/guards.ts";
import type { OutboxReader } from "./outbox.ts";

/** Who reads the outbox in this request: the organisation acted for and the caller's own address. */
export function outboxReaderOf(c: Context<AppEnv>): OutboxReader {
  return { orgId: serviceContext(c).orgId, email: c.var.auth?.user.email ?? "" };
}
