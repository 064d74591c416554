import type { SsoFormErrors, SsoFormValues } from "../../../views/pages/settings/sso-form.tsx";
import type { ErrorDetail } from "../../http/errors.ts";
import type { PostedForm } from "../../http/validate-form.ts";
import { emptySsoForm } from "./console-props.ts";

type RoleOption = { role: string; label: string };

/** What the admin typed (the secret apart), to hand back on a 422. */
export function ssoFormValuesOf(form: PostedForm): SsoFormValues {
  return {
    kind: form.text("kind"),
    name: form.text("name"),
    tenant: form.text("tenant"),
    issuer: form.text("issuer"),
    clientId: form.text("clientId"),
    domainRules: form.text("domainRules"),
    enabled: form.text("enabled") === "on",
  };
}

/**
 * `example.com = member` lines to rules. A role may be named by its key (`team_lead`), its
 * label (`Team Lead`) or a custom role's name; unknown names pass through for the service to refuse.
 * `lines[i]` is the line number of rule i, for error messages.
 */
export function parseDomainRuleLines(
  input: string,
  roles: RoleOption[],
): { rules: { domain: string; role: string }[]; lines: number[]; error: string | null } {
  const rules: { domain: string; role: string }[] = [];
  const lines: number[] = [];
  const rows = input.split(/\r?\n/);
  for (const [index, row] of rows.entries()) {
    if (!row.trim()) continue;
    const match = /^\s*([^=\s]+)\s*=\s*(.+?)\s*$/.exec(row);
    if (!match?.[1] || !match[2])
      return { rules, lines, error: `line ${index + 1}: write “domain = role”, e.g. example.com = member` };
    const named = match[2].toLowerCase();
    const role = roles.find((option) => option.role.toLowerCase() === named || option.label.toLowerCase() === named);
    rules.push({ domain: match[1], role: role?.role ?? match[2] });
    lines.push(index + 1);
  }
  return { rules, lines, error: null };
}

/** The first message for each form field, from zod issues or service details (`domainRules.2.role`). */
export function ssoFormErrorsOf(details: ErrorDetail[], lines: number[]): SsoFormErrors {
  const errors: SsoFormErrors = {};
  for (const detail of details) {
    const [field, index] = detail.path.split(".");
    if (field === "domainRules" && index !== undefined) {
      errors.domainRules ??= `line ${lines[Number(index)] ?? Number(index) + 1}: ${detail.message}`;
      continue;
    }
    const key = (field || "form") as keyof SsoFormErrors;
    errors[key in emptySsoForm || key === "clientSecret" ? key : "form"] ??= detail.message;
  }
  return errors;
}
