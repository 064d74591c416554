import type { SecurityPolicy } from "../../../models/security-policy.ts";
import type { ErrorDetail } from "../../http/errors.ts";

/**
 * Where `policy` is weaker than its compliance preset, one detail per field. The preset is a
 * floor: admins may tighten any value, and loosen one only by choosing another compliance level.
 */
export function weakerThanPreset(policy: SecurityPolicy, preset: SecurityPolicy, presetLabel: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const refuse = (path: keyof SecurityPolicy, message: string) =>
    details.push({ path, message: `${presetLabel}: ${message}` });
  if (policy.sessionIdleTimeoutMinutes > preset.sessionIdleTimeoutMinutes) {
    refuse("sessionIdleTimeoutMinutes", `at most ${preset.sessionIdleTimeoutMinutes} minutes.`);
  }
  if (policy.sessionAbsoluteLifetimeHours > preset.sessionAbsoluteLifetimeHours) {
    refuse("sessionAbsoluteLifetimeHours", `at most ${preset.sessionAbsoluteLifetimeHours} hours.`);
  }
  if (preset.twoFactorRequiredFor === "everyone" && policy.twoFactorRequiredFor !== "everyone") {
    refuse("twoFactorRequiredFor", "two-factor authentication is required for everyone.");
  }
  if (policy.passwordMinLength < preset.passwordMinLength) {
    refuse("passwordMinLength", `at least ${preset.passwordMinLength} characters.`);
  }
  if (policy.auditRetentionDays < preset.auditRetentionDays) {
    refuse("auditRetentionDays", `keep the audit log at least ${preset.auditRetentionDays} days.`);
  }
  if (
    preset.dataRetentionDays !== null &&
    policy.dataRetentionDays !== null &&
    policy.dataRetentionDays < preset.dataRetentionDays
  ) {
    refuse("dataRetentionDays", `keep records at least ${preset.dataRetentionDays} days (or keep them until deleted).`);
  }
  if (policy.lockoutThreshold > preset.lockoutThreshold) {
    refuse("lockoutThreshold", `lock after at most ${preset.lockoutThreshold} failed sign-ins.`);
  }
  if (policy.lockoutMinutes < preset.lockoutMinutes) {
    refuse("lockoutMinutes", `lock for at least ${preset.lockoutMinutes} minutes.`);
  }
  return details;
}
