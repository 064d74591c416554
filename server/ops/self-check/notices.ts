import { and, eq, ne } from "drizzle-orm";
import { users } from "../../../models/identity.ts";
import { healthAlertMail, healthRecoveredMail } from "../../../views/mail/health-mail.tsx";
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
const detailsUrl = (baseUrl: string) => `${baseUrl.replace(/\/+$/, "")}/settings/monitoring`;

/** One e-mail per instance admin: what went bad. Through the outbox, like every message of the box. */
export function mailHealthAlert(
  db: Queryable,
  log: Logger,
  baseUrl: string,
  problems: HealthProblem[],
  at: Date,
): void {
  const mail = healthAlertMail({ since: stamp(at), problems, detailsUrl: detailsUrl(baseUrl) });
  for (const to of instanceAdminAddresses(db))
    queueMail(db, log, { orgId: null, to, ...mail, template: "health_alert" }, at);
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
  const mail = healthRecoveredMail({ at: stamp(at), minutes, resolved, detailsUrl: detailsUrl(baseUrl) });
  for (const to of instanceAdminAddresses(db)) {
    queueMail(db, log, { orgId: null, to, ...mail, template: "health_recovered" }, at);
  }
}
