/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";

export type BackupKeyProps = {
  /** The key's public half, when it was made and when it was downloaded (UTC with its age); null before it exists. */
  backupKey: { recipient: string; createdAt: string; downloadedAt: string | null } | null;
  /** The box's instance admin, before the download: the form is shown. */
  canDownload: boolean;
  /** Why the download was refused (`keepOffline` unticked, `form` for the rest). */
  errors: Record<string, string>;
  csrf: string | null;
};

/**
 * The age key that encrypts the backups: its public half, when it was made and downloaded, and
 * the one download. A plain form post, not htmx: the answer is the key file as an attachment.
 */
export function BackupKeyPanel(props: BackupKeyProps) {
  const key = props.backupKey;
  return (
    <section id="backup-encryption-key" aria-labelledby="backup-key-heading">
      <h2 id="backup-key-heading">Encryption key</h2>
      <FormMessage error={props.errors.form} />
      {key === null ? (
        <p class="muted">No key yet: Opsbox makes one when backups first run, and encrypts every backup with it.</p>
      ) : (
        <p>
          Every backup is encrypted with this box's age key: public key <code>{key.recipient}</code>, made{" "}
          {key.createdAt}.
        </p>
      )}
      {key?.downloadedAt ? (
        <p id="backup-key-downloaded">
          Downloaded {key.downloadedAt}. It cannot be downloaded again: <code>opsbox backup key</code> on the box shows
          its state.
        </p>
      ) : key ? (
        <p id="backup-key-not-downloaded">
          Not downloaded yet. Download it once and keep it offline (a password manager, a printout in the safe): without
          it, the backups of a lost box cannot be read. It can be downloaded only once
          {props.canDownload ? "." : ", by the box's instance admin."}
        </p>
      ) : null}
      {props.canDownload ? (
        <form id="backup-key-form" method="post" action="/settings/backups/key" novalidate>
          <CsrfField token={props.csrf} />
          <label class="choice">
            <input
              type="checkbox"
              name="keepOffline"
              value="on"
              aria-invalid={props.errors.keepOffline ? "true" : undefined}
              aria-describedby={props.errors.keepOffline ? "keepOffline-help" : undefined}
            />
            <span>I will keep the key offline: it cannot be downloaded again</span>
          </label>
          {props.errors.keepOffline ? <small id="keepOffline-help">{props.errors.keepOffline}</small> : null}
          <button type="submit">Download the backup key</button>
        </form>
      ) : null}
    </section>
  );
}
