/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { FieldErrors, FormValues } from "../../../server/setup/wizard-draft.ts";
import { TimeZoneField } from "../../components/time-zone-field.tsx";
import { Field } from "./fields.tsx";

export type StepProps = { values: FormValues; errors: FieldErrors };

const text = (values: FormValues, field: string) => {
  const value = values[field];
  return typeof value === "string" ? value : "";
};

/** The industries a template exists for, in the order offered. */
export type IndustryChoice = { id: string; label: string };

export function OrganisationStep(props: StepProps & { industries: IndustryChoice[]; zones: string[] }) {
  const industry = text(props.values, "industry") || "general";
  return (
    <>
      <p>
        Tell Opsbox who it works for. The industry template sets up approval pipelines, project templates, document
        categories and suggested agents; you can change all of them later.
      </p>
      <Field
        name="name"
        label="Organisation name"
        value={text(props.values, "name")}
        error={props.errors.name}
        autocomplete="organization"
        autofocus
      />
      <label>
        Industry
        <select name="industry" id="industry" aria-invalid={props.errors.industry ? "true" : undefined}>
          {props.industries.map(({ id, label }) => (
            <option value={id} selected={id === industry}>
              {label}
            </option>
          ))}
        </select>
        {props.errors.industry ? <small class="field-error">{props.errors.industry}</small> : null}
      </label>
      <TimeZoneField
        value={text(props.values, "timeZone") || "UTC"}
        error={props.errors.timeZone}
        zones={props.zones}
        hint="Where you work, such as Europe/Berlin. Agents act at its local hours (the daily digest at 07:00); UTC if unsure, you can change it in Settings → Organisation."
      />
    </>
  );
}

export type AdministratorStepProps = StepProps & { passwordKept: boolean; minLength: number; presetLabel: string };

export function AdministratorStep(props: AdministratorStepProps) {
  const passwordHint = props.passwordKept
    ? "A password is set. Leave both password fields blank to keep it."
    : `At least ${props.minLength} characters, the minimum of the ${props.presetLabel} preset. A phrase of several words works well.`;
  return (
    <>
      <p>The first administrator of this box. You sign in with this e-mail address.</p>
      <Field
        name="name"
        label="Your name"
        value={text(props.values, "name")}
        error={props.errors.name}
        autocomplete="name"
        autofocus
      />
      <Field
        name="email"
        label="E-mail address"
        type="email"
        value={text(props.values, "email")}
        error={props.errors.email}
        autocomplete="email"
      />
      <Field
        name="password"
        label="Password"
        type="password"
        error={props.errors.password}
        hint={passwordHint}
        autocomplete="new-password"
      />
      <Field
        name="confirm"
        label="Password again"
        type="password"
        error={props.errors.confirm}
        autocomplete="new-password"
      />
    </>
  );
}

export type TwoFactorStepProps = StepProps & {
  /** The QR code of the key URI, an SVG made by the qrcode package (no scripts, no styles). */
  qrSvg: string;
  secret: string;
  accountName: string;
  verified: boolean;
};

export function TwoFactorStep(props: TwoFactorStepProps) {
  if (props.verified) {
    return (
      <p class="setup-done">
        Your authenticator app is linked: you will enter its code each time you sign in. Press Next to continue.
      </p>
    );
  }
  return (
    <>
      <p>
        Administrators must use two-factor authentication. Scan this code with an authenticator app (such as Aegis,
        Google Authenticator, 1Password or Authy), then enter the 6-digit code it shows.
      </p>
      <div class="totp-enrol">
        <figure class="totp-qr" aria-label="QR code for your authenticator app">
          {raw(props.qrSvg)}
        </figure>
        <div>
          <p>
            Cannot scan? Enter this key in the app by hand, for the account <strong>{props.accountName}</strong>:
          </p>
          <p>
            <code id="totp-secret" class="totp-secret">
              {props.secret}
            </code>
          </p>
          <Field
            name="code"
            label="6-digit code"
            value=""
            error={props.errors.code}
            autocomplete="one-time-code"
            inputmode="numeric"
            placeholder="123456"
            autofocus
          />
        </div>
      </div>
    </>
  );
}
