/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage, InputField } from "../auth/form-parts.tsx";
import { MailOAuthSection, type MailOAuthSectionProps } from "./mail-oauth.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";
import type { Flash } from "./users-types.ts";

/** The form as typed (never the password). */
export type InboundMailValues = {
  enabled: boolean;
  address: string;
  host: string;
  port: string;
  security: string;
  /** "password" or "oauth" (XOAUTH2 with the connected account). */
  authMethod: string;
  username: string;
  folder: string;
  deleteAfterImport: boolean;
};

export type InboundMailStatus = {
  state: "off" | "connecting" | "listening" | "failed";
  lastError: string | null;
  lastErrorAt: string | null;
  lastSyncAt: string | null;
};

export type InboundMailProps = {
  values: InboundMailValues;
  errors: Record<string, string>;
  flash: Flash | null;
  csrf: string | null;
  passwordSet: boolean;
  status: InboundMailStatus;
  /** The Google or Microsoft mailbox connected with OAuth, and its connect form. */
  oauth: MailOAuthSectionProps;
};

const stateLabels: Record<InboundMailStatus["state"], string> = {
  off: "Off",
  connecting: "Connecting…",
  listening: "Connected: new mail is taken in as it arrives",
  failed: "Failing",
};

const securityLabels = [
  ["tls", "TLS (port 993)"],
  ["starttls", "STARTTLS (port 143)"],
  ["none", "None (only for a bridge on this machine)"],
] as const;

/** Settings → Inbound mail, the whole page. */
export function InboundMailPage(props: InboundMailProps & { switcher: OrganizationSwitcherProps }) {
  return (
    <SettingsFrame current="/settings/inbound-mail" switcher={props.switcher}>
      <InboundMailForm {...props} />
    </SettingsFrame>
  );
}

/** The mailbox's state and its settings form (the part htmx swaps). */
export function InboundMailForm(props: InboundMailProps) {
  const { values, errors, status } = props;
  return (
    <div id="inbound-mail">
      <header>
        <h1>Inbound mail</h1>
        <p>
          Opsbox reads this IMAP mailbox and takes in every unread message: it is stored as a document with its
          attachments, then marked read (never deleted unless you choose so below). A reply to an Opsbox notification
          becomes its sender's comment on the task or approval request. On a box that owns an MX record, mail to this
          address can also arrive through its SMTP endpoint (OPSBOX_SMTP_RECEIVE_PORT).
        </p>
      </header>
      <p class={`inbound-status inbound-status-${status.state}`} role="status">
        <strong>{stateLabels[status.state]}</strong>
        {status.lastSyncAt ? ` · last read ${status.lastSyncAt.slice(0, 16).replace("T", " ")} UTC` : null}
      </p>
      {status.lastError ? (
        <p class="form-message form-message-error inbound-error">
          {status.lastError}
          {status.lastErrorAt ? ` (${status.lastErrorAt.slice(0, 16).replace("T", " ")} UTC)` : null}
        </p>
      ) : null}
      <FormMessage
        error={props.flash?.kind === "error" ? props.flash.text : null}
        notice={props.flash?.kind === "notice" ? props.flash.text : null}
      />
      <form
        method="post"
        action="/settings/inbound-mail"
        hx-post="/settings/inbound-mail"
        hx-target="#inbound-mail"
        hx-swap="outerHTML"
        novalidate
      >
        <CsrfField token={props.csrf} />
        <label>
          <input type="checkbox" name="enabled" value="on" checked={values.enabled} /> Read this mailbox
        </label>
        <InputField
          label="Mailbox address"
          name="address"
          type="email"
          value={values.address}
          autocomplete="off"
          error={errors.address}
          hint="Reply addresses are made from it: inbox+…@example.com."
        />
        <div class="grid">
          <InputField label="IMAP server" name="host" value={values.host} autocomplete="off" error={errors.host} />
          <InputField
            label="Port"
            name="port"
            value={values.port}
            autocomplete="off"
            inputmode="numeric"
            error={errors.port}
          />
          <label>
            Security
            <select name="security" aria-invalid={errors.security ? "true" : undefined}>
              {securityLabels.map(([value, label]) => (
                <option value={value} selected={values.security === value}>
                  {label}
                </option>
              ))}
            </select>
            {errors.security ? <small>{errors.security}</small> : null}
          </label>
        </div>
        <label>
          Sign in with
          <select name="authMethod" aria-invalid={errors.authMethod ? "true" : undefined}>
            <option value="password" selected={values.authMethod !== "oauth"}>
              Password or app password
            </option>
            <option value="oauth" selected={values.authMethod === "oauth"}>
              OAuth: the Google or Microsoft mailbox connected below
            </option>
          </select>
          {errors.authMethod ? <small>{errors.authMethod}</small> : null}
        </label>
        <div class="grid">
          <InputField
            label="User name"
            name="username"
            value={values.username}
            autocomplete="off"
            error={errors.username}
          />
          <InputField
            label="Password or app password"
            name="password"
            type="password"
            autocomplete="new-password"
            required={!props.passwordSet && values.authMethod !== "oauth"}
            error={errors.password}
            hint={props.passwordSet ? "Stored encrypted. Leave empty to keep it." : "Stored encrypted."}
          />
        </div>
        <InputField label="Folder" name="folder" value={values.folder} autocomplete="off" error={errors.folder} />
        <label>
          <input type="checkbox" name="deleteAfterImport" value="on" checked={values.deleteAfterImport} /> Delete
          messages from the server once taken in
        </label>
        <button type="submit">Save and connect</button>
      </form>
      <MailOAuthSection {...props.oauth} />
    </div>
  );
}
