import { eq } from "drizzle-orm";
import { memberships, organizations, users } from "../../models/identity.ts";
import { instanceSettings, organizationSettings } from "../../models/instance.ts";
import { compliancePresets } from "../../models/security-policy.ts";
import { type RequestMeta, recordAudit } from "../audit/service.ts";
import { hashPassword } from "../auth/sessions/passwords.ts";
import { sealBackupSettings } from "../backup/settings.ts";
import type { Db } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { sealMailSettings } from "../mail/settings.ts";
import { setOrganizationTimeZone } from "../organization-time-zone.ts";
import { newId } from "../tools/ids.ts";
import type { Keyring } from "../tools/secrets.ts";
import { seedApprovalPipelines } from "../work/approvals/seed.ts";
import type { SetupInput } from "./schemas.ts";
import { isSetupComplete, SETUP_COMPLETED_KEY } from "./state.ts";
import { industryTemplates } from "./templates.ts";
import { discardSetupToken } from "./token.ts";

export type SetupDeps = { db: Db; keyring: Keyring; dataDir: string };

export type SetupResult = {
  organizationId: string;
  userId: string;
  nextSteps: string[];
};

/**
 * Claims the box: the first organisation, its admin (the instance admin), the chosen
 * settings and the industry template's seeds, in one transaction. Refuses a second run.
 */
export async function completeSetup(deps: SetupDeps, input: SetupInput, meta: RequestMeta = {}): Promise<SetupResult> {
  const { db, keyring } = deps;
  if (isSetupComplete(db)) throw new AppError("already_set_up", "This box is already set up.");
  // Hash before the transaction: argon2 takes a while and must not hold the write lock.
  const passwordHash = await hashPassword(input.admin.password);
  const now = new Date();
  const orgId = newId("org");
  const userId = newId("usr");
  const template = industryTemplates[input.organization.industry];

  db.transaction((tx) => {
    if (tx.select().from(instanceSettings).where(eq(instanceSettings.key, SETUP_COMPLETED_KEY)).get()) {
      throw new AppError("already_set_up", "This box is already set up.");
    }
    tx.insert(organizations)
      .values({
        id: orgId,
        name: input.organization.name,
        industry: input.organization.industry,
        complianceLevel: input.organization.complianceLevel,
        policy: compliancePresets[input.organization.complianceLevel].policy,
        createdAt: now,
      })
      .run();
    tx.insert(users)
      .values({
        id: userId,
        email: input.admin.email,
        name: input.admin.name,
        passwordHash,
        status: "active",
        isInstanceAdmin: true,
        homeOrgId: orgId,
        passwordChangedAt: now,
        createdAt: now,
      })
      .run();
    tx.insert(memberships)
      .values({ id: newId("mem"), orgId, userId, role: "admin", createdAt: now })
      .run();

    const settings: [string, unknown][] = [
      ["email", sealMailSettings(keyring, input.email)],
      ["backups", sealBackupSettings(keyring, input.backups)],
      ["ai", input.ai],
      [SETUP_COMPLETED_KEY, now.toISOString()],
    ];
    for (const [key, value] of settings) tx.insert(instanceSettings).values({ key, value, updatedAt: now }).run();
    const orgValues: [string, unknown][] = [
      ["template", { industry: input.organization.industry, ...template }],
      ["agents.enabled", input.agents.defaults],
    ];
    for (const [key, value] of orgValues)
      tx.insert(organizationSettings).values({ orgId, key, value, updatedAt: now }).run();
    if (input.organization.timeZone) setOrganizationTimeZone(tx, orgId, input.organization.timeZone, now);
    seedApprovalPipelines(tx, orgId, template.approvalPipelines, now);

    recordAudit(tx, {
      orgId,
      action: "setup.completed",
      actorUserId: userId,
      targetType: "organization",
      targetId: orgId,
      details: {
        industry: input.organization.industry,
        complianceLevel: input.organization.complianceLevel,
        timeZone: input.organization.timeZone ?? "UTC",
        emailProvider: input.email.provider,
        backups: input.backups.enabled,
        agents: input.agents.defaults,
      },
      meta,
    });
  });
  discardSetupToken(db, deps.dataDir);

  return {
    organizationId: orgId,
    userId,
    nextSteps: [
      "Sign in and enrol two-factor authentication (required for admins).",
      ...(input.email.provider === "log"
        ? ["Configure e-mail delivery: until then messages wait in the draft log."]
        : []),
      ...(input.backups.enabled ? [] : ["Set up backups in Settings → Backups (a bucket, a directory, or both)."]),
      ...(input.ai.chatModel ? [] : ["Install an AI model for the assistant."]),
      "Invite your team.",
    ],
  };
}
