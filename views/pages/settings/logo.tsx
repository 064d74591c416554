/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";
import type { Flash } from "./users-types.ts";

export type LogoProps = {
  /** The stored logo as a data: URL for the preview, or null when there is none. */
  preview: string | null;
  sizeBytes: number | null;
  errors: Record<string, string>;
  flash: Flash | null;
  csrf: string | null;
};

/** Settings → Logo, the whole page. */
export function LogoPage(props: LogoProps & { switcher: OrganizationSwitcherProps }) {
  return (
    <SettingsFrame current="/settings/logo" switcher={props.switcher}>
      <LogoForm {...props} />
    </SettingsFrame>
  );
}

/** The logo, its upload form and the remove button (the part htmx swaps). */
export function LogoForm(props: LogoProps) {
  return (
    <div id="logo-settings">
      <header>
        <h1>Logo</h1>
        <p>
          Your organisation's e-mails (invitations, invoices, notifications) show this logo above its name. A PNG of at
          most 100 KB and 1024 × 1024 pixels; about 400 × 100 pixels on a transparent background looks best. SVG is not
          accepted: mail clients do not show it.
        </p>
      </header>
      <FormMessage
        error={props.flash?.kind === "error" ? props.flash.text : (props.errors.form ?? null)}
        notice={props.flash?.kind === "notice" ? props.flash.text : null}
      />
      {props.preview ? (
        <p>
          <img src={props.preview} alt="The current logo" style="max-height:40px;max-width:240px" />
          <br />
          <small>{Math.ceil((props.sizeBytes ?? 0) / 1024)} KB</small>
        </p>
      ) : (
        <p>No logo yet: e-mails show the organisation's name only.</p>
      )}
      <form
        method="post"
        action="/settings/logo"
        enctype="multipart/form-data"
        hx-post="/settings/logo"
        hx-encoding="multipart/form-data"
        hx-target="#logo-settings"
        hx-swap="outerHTML"
      >
        <CsrfField token={props.csrf} />
        <label>
          PNG file
          <input
            type="file"
            name="logo"
            accept="image/png"
            aria-invalid={props.errors.logo ? "true" : undefined}
            aria-describedby={props.errors.logo ? "logo-error" : undefined}
          />
          {props.errors.logo ? <small id="logo-error">{props.errors.logo}</small> : null}
        </label>
        <button type="submit">{props.preview ? "Replace the logo" : "Upload the logo"}</button>
      </form>
      {props.preview ? (
        <form
          method="post"
          action="/settings/logo/remove"
          hx-post="/settings/logo/remove"
          hx-target="#logo-settings"
          hx-swap="outerHTML"
        >
          <CsrfField token={props.csrf} />
          <button type="submit" class="secondary">
            Remove the logo
          </button>
        </form>
      ) : null}
    </div>
  );
}
