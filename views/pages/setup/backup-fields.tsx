/** @jsxImportSource hono/jsx */
import { Field } from "./fields.tsx";

export type BackupFieldsProps = {
  /** What was typed or is stored, as text; checkboxes "on" when ticked. */
  values: Record<string, unknown>;
  errors: Record<string, string | undefined>;
  /** A secret access key is stored: a blank field keeps it. */
  secretKept: boolean;
  /** The longest retention a compliance preset asks for, when one does. */
  retentionFloorDays: number | null;
};

const text = (values: Record<string, unknown>, field: string, fallback = "") => {
  const value = values[field];
  return typeof value === "string" ? value : fallback;
};

/**
 * Where the backups go, as the setup wizard and Settings → Backups ask for it: an S3-compatible
 * bucket, a directory, or both, and how long snapshots are kept. The secret is never drawn back.
 */
export function BackupReplicaFields(props: BackupFieldsProps) {
  const { values, errors } = props;
  const floor = props.retentionFloorDays;
  return (
    <>
      <fieldset class="s3-fields">
        <legend>S3-compatible bucket</legend>
        <div class="grid">
          <Field name="bucket" label="Bucket" value={text(values, "bucket")} error={errors.bucket} />
          <Field name="path" label="Path in the bucket" value={text(values, "path", "opsbox")} error={errors.path} />
        </div>
        <div class="grid">
          <Field
            name="endpoint"
            label="Endpoint URL"
            type="url"
            value={text(values, "endpoint")}
            error={errors.endpoint}
            hint="Leave blank for Amazon S3."
            placeholder="https://s3.eu-central-003.backblazeb2.com"
          />
          <Field name="region" label="Region" value={text(values, "region", "us-east-1")} error={errors.region} />
        </div>
        <div class="grid">
          <Field
            name="accessKeyId"
            label="Access key id"
            value={text(values, "accessKeyId")}
            error={errors.accessKeyId}
            autocomplete="off"
          />
          <Field
            name="secretAccessKey"
            label="Secret access key"
            type="password"
            error={errors.secretAccessKey}
            hint={props.secretKept ? "Saved. Leave blank to keep it." : undefined}
            autocomplete="off"
          />
        </div>
        <label class="choice">
          <input type="checkbox" name="forcePathStyle" checked={text(values, "forcePathStyle") === "on"} />
          <span>Address the bucket in the URL path (MinIO, Garage and most self-hosted stores want this)</span>
        </label>
      </fieldset>
      <fieldset class="s3-fields">
        <legend>Directory</legend>
        <Field
          name="directory"
          label="Backup directory"
          value={text(values, "directory")}
          error={errors.directory}
          placeholder="/mnt/usb/opsbox"
          hint="A local or mounted disk (a USB disk, a NAS share) that receives a copy too, or instead of a bucket."
        />
      </fieldset>
      <div class="s3-fields">
        <Field
          name="retentionDays"
          label="Keep snapshots for (days)"
          type="number"
          inputmode="numeric"
          value={text(values, "retentionDays", "30")}
          error={errors.retentionDays}
          hint={
            floor
              ? `A compliance preset on this box asks for at least ${floor} days; a shorter time is raised to it.`
              : "A snapshot is taken every day; older ones are deleted after this many days."
          }
        />
      </div>
    </>
  );
}
