/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";
import { BackupReplicaFields } from "../setup/backup-fields.tsx";

export type BackupSettingsFormProps = {
  /** What was typed or is stored, as text; checkboxes "on" when ticked. */
  values: Record<string, string>;
  errors: Record<string, string>;
  /** A secret access key is stored: a blank field keeps it. */
  secretKept: boolean;
  retentionFloorDays: number | null;
  notice: string | null;
  csrf: string | null;
};

/** Where the backups go; saved encrypted and applied at once (Litestream restarts with them). */
export function BackupSettingsForm(props: BackupSettingsFormProps) {
  return (
    <form
      id="backup-settings-form"
      class="backup-settings"
      method="post"
      action="/settings/backups/settings"
      hx-post="/settings/backups/settings"
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <FormMessage error={props.errors.form} notice={props.notice} />
      <CsrfField token={props.csrf} />
      <label class="choice">
        <input type="checkbox" name="enabled" checked={props.values.enabled === "on"} />
        <span>Back up this box continuously</span>
      </label>
      <BackupReplicaFields
        values={props.values}
        errors={props.errors}
        secretKept={props.secretKept}
        retentionFloorDays={props.retentionFloorDays}
      />
      <button type="submit">Save and apply</button>
    </form>
  );
}
