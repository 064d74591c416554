import { and, eq, ne } from "drizzle-orm";
import { users } from "../../../models/identity.ts";
import type { Queryable } from "../../db.ts";
import type { Logger } from "../../http/logger.ts";
import { queueMail } from "../../mail/outbox.ts";
import type { HealthProblem } from "./health-state.ts";

/** The box's instance admins who can still sign in: who hears about its health. */
function instanceAdminAddresses(db: Queryable): string[] {
  return db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.isInstanceAdmin, true), ne(users.status, "deactivated")))
    .all()
    .map((row) => row.email);
}

const stamp = (at: Date) => `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
const list = (problems: HealthProblem[]) => problems.map((item) => `- ${item.label}: ${item.message}`).join("\n");

/** One e-mail per instance admin: what went bad. Through the outbox, like every message of the box. */
export function mailHealthAlert(
  db: Queryable,
  log: Logger,
  baseUrl: string,
  problems: HealthProblem[],
  at: Date,
): void {
  const subject = `Opsbox needs attention: ${problems.map((item) => item.label.toLowerCase()).join(", ")}`;
  const text = `Since ${stamp(at)} this Opsbox reports:\n\n${list(problems)}\n\nYou get one message now and one when it is resolved, not one per check.\nDetails: ${baseUrl}/settings/monitoring\n`;
  for (const to of instanceAdminAddresses(db))
    queueMail(db, log, { orgId: null, to, subject, text, template: "health_alert" }, at);
}

/** One e-mail per instance admin: everything is good again. */
export function mailHealthRecovered(
  db: Queryable,
  log: Logger,
  baseUrl: string,
  resolved: HealthProblem[],
  badSince: Date,
  at: Date,
): void {
  const minutes = Math.max(1, Math.round((at.getTime() - badSince.getTime()) / 60_000));
  const subject = "Opsbox is healthy again";
  const text = `Every check passes again since ${stamp(at)} (after about ${minutes} min). What was wrong:\n\n${list(resolved)}\n\nDetails: ${baseUrl}/settings/monitoring\n`;
  for (const to of instanceAdminAddresses(db)) {
    queueMail(db, log, { orgId: null, to, subject, text, template: "health_recovered" }, at);
  }
}
