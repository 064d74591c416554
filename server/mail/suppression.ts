import type { MailMessage } from "../../models/mail.ts";
import type { Queryable } from "../db.ts";

/**
 * Why a message must not be sent (an unsubscribed address for non-essential mail, a hard bounce
 * for any), or null. The unsubscribe and bounce capability registers its check here; until then
 * nothing is suppressed.
 */
export type SuppressionCheck = (db: Queryable, message: MailMessage) => string | null;

let check: SuppressionCheck | null = null;

/** Installs the suppression list's check (one per process). */
export function registerSuppressionCheck(next: SuppressionCheck | null): void {
  check = next;
}

/** The installed check's answer for `message`. */
export function suppressionReason(db: Queryable, message: MailMessage): string | null {
  return check ? check(db, message) : null;
}
