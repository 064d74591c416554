import { z } from "zod";

export const complianceLevels = ["basic", "soc2", "enterprise"] as const;
export type ComplianceLevel = (typeof complianceLevels)[number];

/** The security policy of an organisation; a compliance preset fills it, an admin may tighten it. */
export const securityPolicySchema = z.object({
  sessionIdleTimeoutMinutes: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 30),
  sessionAbsoluteLifetimeHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90),
  twoFactorRequiredFor: z.enum(["admins", "everyone"]),
  passwordMinLength: z.number().int().min(12).max(64),
  auditRetentionDays: z.number().int().min(30).max(3650),
  /** Days to keep closed business records; null keeps them until deleted by hand. */
  dataRetentionDays: z.number().int().min(30).max(3650).nullable(),
  /** Failed sign-ins before an account is locked for `lockoutMinutes`. */
  lockoutThreshold: z.number().int().min(3).max(20),
  lockoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
});
export type SecurityPolicy = z.infer<typeof securityPolicySchema>;

/**
 * A preset's label, summary and policy, and the fewest days its backups are kept (null: the box's
 * default of 30). The backup floors are Opsbox's choice for each level, not figures the standards set.
 */
type CompliancePreset = { label: string; summary: string; policy: SecurityPolicy; backupRetentionDays: number | null };

export const compliancePresets: Record<ComplianceLevel, CompliancePreset> = {
  basic: {
    label: "Basic (GDPR / CCPA)",
    summary: "2FA for admins, 7-day idle sessions, a year of audit log.",
    policy: {
      sessionIdleTimeoutMinutes: 60 * 24 * 7,
      sessionAbsoluteLifetimeHours: 24 * 30,
      twoFactorRequiredFor: "admins",
      passwordMinLength: 12,
      auditRetentionDays: 365,
      dataRetentionDays: null,
      lockoutThreshold: 10,
      lockoutMinutes: 15,
    },
    backupRetentionDays: null,
  },
  soc2: {
    label: "SOC 2",
    summary: "2FA for everyone, 30-minute idle sessions, a year of audit log.",
    policy: {
      sessionIdleTimeoutMinutes: 30,
      sessionAbsoluteLifetimeHours: 12,
      twoFactorRequiredFor: "everyone",
      passwordMinLength: 14,
      auditRetentionDays: 365,
      dataRetentionDays: 365 * 7,
      lockoutThreshold: 6,
      lockoutMinutes: 30,
    },
    backupRetentionDays: 90,
  },
  enterprise: {
    label: "Enterprise (HIPAA / SOX)",
    summary: "2FA for everyone, 15-minute idle sessions, seven years of audit log.",
    policy: {
      sessionIdleTimeoutMinutes: 15,
      sessionAbsoluteLifetimeHours: 8,
      twoFactorRequiredFor: "everyone",
      passwordMinLength: 16,
      auditRetentionDays: 365 * 7,
      dataRetentionDays: 365 * 7,
      lockoutThreshold: 5,
      lockoutMinutes: 60,
    },
    backupRetentionDays: 365,
  },
};
