/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";
import type { Flash } from "./users-types.ts";

export type PolicyNumberField = {
  name: string;
  label: string;
  hint: string;
  min: number;
  max: number;
  /** Empty means "no limit" (only data retention). */
  optional?: boolean;
};

export type SecurityPolicyProps = {
  complianceLabel: string;
  fields: PolicyNumberField[];
  /** What was typed (or is stored), as text, by field name; `twoFactorRequiredFor` included. */
  values: Record<string, string>;
  /** The compliance preset's value of each field, as text. */
  preset: Record<string, string>;
  errors: Record<string, string>;
  flash: Flash | null;
  csrf: string | null;
};

/** Settings → Security policy, the whole page. */
export function SecurityPolicyPage(props: SecurityPolicyProps & { switcher: OrganizationSwitcherProps }) {
  return (
    <SettingsFrame current="/settings/security" switcher={props.switcher}>
      <SecurityPolicyForm {...props} />
    </SettingsFrame>
  );
}

/** The organisation's policy as a form; every value stays within the bounds Opsbox allows. */
export function SecurityPolicyForm(props: SecurityPolicyProps) {
  const twoFactor = props.values.twoFactorRequiredFor ?? "admins";
  return (
    <div id="security-policy">
      <header>
        <h1>Security policy</h1>
        <p>
          Started from the <strong>{props.complianceLabel}</strong> preset, which is also the floor: every value can be
          made stricter, none looser. Changes apply to every session as it is next used, and are recorded in the audit
          log.
        </p>
      </header>
      {props.flash ? (
        <FormMessage
          error={props.flash.kind === "error" ? props.flash.text : null}
          notice={props.flash.kind === "notice" ? props.flash.text : null}
        />
      ) : null}
      <form
        method="post"
        action="/settings/security"
        hx-post="/settings/security"
        hx-target="#security-policy"
        hx-swap="outerHTML"
        novalidate
      >
        <CsrfField token={props.csrf} />
        <label>
          Two-factor authentication required for
          <select name="twoFactorRequiredFor" aria-describedby="twoFactorRequiredFor-help">
            <option value="admins" selected={twoFactor === "admins"}>
              Admins only
            </option>
            <option value="everyone" selected={twoFactor === "everyone"}>
              Everyone
            </option>
          </select>
          <small id="twoFactorRequiredFor-help">
            {props.errors.twoFactorRequiredFor ??
              `Preset: ${props.preset.twoFactorRequiredFor === "everyone" ? "everyone" : "admins only"}.`}
          </small>
        </label>
        <div class="grid policy-grid">
          {props.fields.map((field) => (
            <NumberField
              field={field}
              value={props.values[field.name] ?? ""}
              preset={props.preset[field.name] ?? ""}
              error={props.errors[field.name]}
            />
          ))}
        </div>
        <button type="submit">Save policy</button>
      </form>
    </div>
  );
}

function NumberField(props: { field: PolicyNumberField; value: string; preset: string; error: string | undefined }) {
  const { field } = props;
  const helpId = `${field.name}-help`;
  const presetText = props.preset === "" ? "keep until deleted" : props.preset;
  return (
    <label>
      {field.label}
      <input
        type="number"
        name={field.name}
        value={props.value}
        min={field.min}
        max={field.max}
        step={1}
        required={field.optional ? undefined : true}
        inputmode="numeric"
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={helpId}
      />
      <small id={helpId}>{props.error ?? `${field.hint} ${field.min}–${field.max}; preset ${presetText}.`}</small>
    </label>
  );
}
