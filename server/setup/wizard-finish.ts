import { eq } from "drizzle-orm";
import type { Session } from "../../models/identity.ts";
import { users } from "../../models/identity.ts";
import { compliancePresets } from "../../models/security-policy.ts";
import { type RequestMeta, recordAudit } from "../audit/service.ts";
import { sessionPolicy } from "../auth/sessions/guard.ts";
import { createSession } from "../auth/sessions/sessions.ts";
import { recordSignIn } from "../auth/sessions/sign-in.ts";
import { sealTotpKey } from "../auth/two-factor/totp.ts";
import type { SetupInput } from "./schemas.ts";
import { completeSetup, type SetupDeps } from "./service.ts";

export type WizardSetupResult = { organizationId: string; userId: string; session: Session; token: string };

/**
 * Completes setup from the web wizard: the same completeSetup as the API and the CLI, then
 * the admin's already-verified TOTP key, and a signed-in session (2FA passed) for the browser.
 */
export async function completeWizardSetup(
  deps: SetupDeps,
  input: SetupInput,
  totp: { key: Uint8Array; step: number },
  meta: RequestMeta,
  now = new Date(),
): Promise<WizardSetupResult> {
  const { db, keyring } = deps;
  const { organizationId: orgId, userId } = await completeSetup(deps, input, meta);
  const user = db
    .update(users)
    .set({ totpKeyEncrypted: sealTotpKey(keyring, userId, totp.key), totpEnabledAt: now, totpLastStep: totp.step })
    .where(eq(users.id, userId))
    .returning()
    .get();
  recordAudit(
    db,
    { orgId, action: "auth.two_factor_enabled", actorUserId: userId, targetType: "user", targetId: userId, meta },
    now,
  );
  const { session, token } = createSession(db, {
    userId,
    orgId,
    twoFactorVerified: true,
    policy: sessionPolicy(compliancePresets[input.organization.complianceLevel].policy),
    ipAddress: meta.ipAddress ?? null,
    userAgent: meta.userAgent ?? null,
  });
  recordSignIn(db, user, orgId, meta, "setup", now);
  return { organizationId: orgId, userId, session, token };
}
