import type { Context } from "hono";
import { compliancePresets, type SecurityPolicy, securityPolicySchema } from "../../../models/security-policy.ts";
import type { PolicyNumberField, SecurityPolicyProps } from "../../../views/pages/settings/security.tsx";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { findSecurityPolicy } from "./security-policy.ts";

/** The security policy page's props: the policy's fields (bounds from the one schema) and values as text. */

type NumberKey = Exclude<keyof SecurityPolicy, "twoFactorRequiredFor">;

const shape = securityPolicySchema.shape;

const bounds = (key: NumberKey) => {
  const schema = key === "dataRetentionDays" ? shape.dataRetentionDays.unwrap() : shape[key];
  return { min: schema.minValue ?? 0, max: schema.maxValue ?? Number.MAX_SAFE_INTEGER };
};

// The bounds come from the one policy schema, so the form can never offer what the API refuses.
export const fields: (PolicyNumberField & { name: NumberKey })[] = [
  { name: "sessionIdleTimeoutMinutes", label: "Idle sign-out (minutes)", hint: "Without activity." },
  { name: "sessionAbsoluteLifetimeHours", label: "Session lifetime (hours)", hint: "Active or not." },
  { name: "passwordMinLength", label: "Minimum password length", hint: "Characters." },
  {
    name: "lockoutThreshold",
    label: "Wrong second-factor codes before lockout",
    hint: "Attempts, at most 5. Password sign-in locks every address alike after 5 tries for 60 minutes.",
  },
  { name: "lockoutMinutes", label: "Second-factor lockout (minutes)", hint: "Minutes, at least 15." },
  { name: "auditRetentionDays", label: "Keep the audit log (days)", hint: "Days." },
  {
    name: "dataRetentionDays",
    label: "Keep closed records (days)",
    hint: "Empty keeps them until deleted.",
    optional: true,
  },
].map((field) => ({ ...field, ...bounds(field.name as NumberKey) })) as (PolicyNumberField & { name: NumberKey })[];

export function asText(policy: SecurityPolicy): Record<string, string> {
  return Object.fromEntries(Object.entries(policy).map(([key, value]) => [key, value === null ? "" : String(value)]));
}

/** The policy page: the organisation's policy and its compliance preset, with a form's outcome on top. */
export function securityPolicyProps(c: Context<AppEnv>, state: Partial<SecurityPolicyProps>): SecurityPolicyProps {
  const view = findSecurityPolicy(serviceContext(c));
  return {
    complianceLabel: compliancePresets[view.complianceLevel].label,
    fields,
    values: asText(view.policy),
    preset: asText(view.preset),
    errors: {},
    flash: null,
    csrf: formCsrf(c),
    ...state,
  };
}
