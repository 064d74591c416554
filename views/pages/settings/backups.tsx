/** @jsxImportSource hono/jsx */
import { FormMessage } from "../auth/form-parts.tsx";
import { BackupSettingsForm, type BackupSettingsFormProps } from "./backups-form.tsx";
import { BackupKeyPanel, type BackupKeyProps } from "./backups-key.tsx";
import { BackupListingPanel } from "./backups-listing.tsx";
import { BackupStatusPanel, type BackupStatusProps } from "./backups-status.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";

export type BackupsPageProps = {
  switcher: OrganizationSwitcherProps;
  status: BackupStatusProps;
  /** The settings form: the instance admin's only (null for other admins, who see the status). */
  form: BackupSettingsFormProps | null;
  /** The backup encryption key's state and its one download. */
  encryptionKey: BackupKeyProps;
  notice: string | null;
};

/** Settings → Backups: the replicas now, the snapshots on them, the two buttons and where backups go. */
export function BackupsPage(props: BackupsPageProps) {
  return (
    <SettingsFrame current="/settings/backups" switcher={props.switcher}>
      <header>
        <h1>Backups</h1>
        <p>
          Litestream, run and watched by Opsbox, copies every change of the database to an S3-compatible bucket, a
          directory, or both, within seconds. These settings are the whole box's, shared by every organisation on it.
        </p>
      </header>
      <FormMessage notice={props.notice} />
      {props.form ? null : (
        <p class="form-message form-message-notice" id="backups-read-only">
          Only the box's instance admin can change where backups go, back up now or test a restore. You can see their
          state here.
        </p>
      )}
      <BackupStatusPanel {...props.status} />
      <BackupKeyPanel {...props.encryptionKey} />
      {props.status.enabled ? <BackupListingPanel state="loading" /> : null}
      {props.form ? (
        <section aria-labelledby="backup-settings-heading">
          <h2 id="backup-settings-heading">Where backups go</h2>
          <BackupSettingsForm {...props.form} />
        </section>
      ) : null}
    </SettingsFrame>
  );
}
