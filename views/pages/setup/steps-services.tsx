/** @jsxImportSource hono/jsx */
import { BackupReplicaFields } from "./backup-fields.tsx";
import { Field } from "./fields.tsx";
import type { StepProps } from "./steps-account.tsx";

const text = (values: StepProps["values"], field: string, fallback = "") => {
  const value = values[field];
  return typeof value === "string" ? value : fallback;
};

/** Secrets are never sent back to the page; when one is kept, the field says so. */
const keptHint = (kept: boolean, otherwise?: string) => (kept ? "Saved. Leave blank to keep it." : otherwise);

const deliveryChoices = [
  ["log", "Keep messages in the draft log for now"],
  ["smtp", "Send through an SMTP server"],
  ["resend", "Send through Resend (API key)"],
  ["sendgrid", "Send through SendGrid (API key)"],
] as const;

export function EmailStep(props: StepProps & { passwordKept: boolean; apiKeyKept: boolean }) {
  const provider = text(props.values, "provider", "log");
  const chosen = deliveryChoices.some(([value]) => value === provider) ? provider : "log";
  return (
    <>
      <p>
        How Opsbox sends e-mail (invitations, password resets, invoices, notifications). Until a provider is set, every
        message waits in the draft log, where an admin can read it.
      </p>
      <fieldset>
        <legend>Delivery</legend>
        {deliveryChoices.map(([value, label]) => (
          <label class="choice">
            <input type="radio" name="provider" value={value} checked={chosen === value} />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>
      <div class="sender-fields">
        <Field
          name="from"
          label="Sender address"
          type="email"
          value={text(props.values, "from")}
          error={props.errors.from}
          placeholder="office@example.com"
          hint="With Resend or SendGrid, an address of a domain you verified there."
        />
      </div>
      <div class="api-fields">
        <Field
          name="apiKey"
          label="API key"
          type="password"
          error={props.errors.apiKey}
          hint={keptHint(props.apiKeyKept, "Stored encrypted; never shown again.")}
          autocomplete="off"
        />
      </div>
      <div class="smtp-fields">
        <div class="grid">
          <Field
            name="host"
            label="SMTP host"
            value={text(props.values, "host")}
            error={props.errors.host}
            placeholder="smtp.example.com"
          />
          <Field
            name="port"
            label="Port"
            type="number"
            value={text(props.values, "port", "587")}
            error={props.errors.port}
            inputmode="numeric"
          />
        </div>
        <label class="choice">
          <input type="checkbox" name="secure" checked={text(props.values, "secure") === "on"} />
          <span>Connect with TLS from the start (port 465); otherwise STARTTLS is used</span>
        </label>
        <div class="grid">
          <Field
            name="username"
            label="User name"
            value={text(props.values, "username")}
            error={props.errors.username}
            autocomplete="off"
          />
          <Field
            name="password"
            label="Password"
            type="password"
            error={props.errors.password}
            hint={keptHint(props.passwordKept)}
            autocomplete="off"
          />
        </div>
      </div>
    </>
  );
}

export function BackupsStep(props: StepProps & { secretKept: boolean; retentionFloorDays: number | null }) {
  const enabled = text(props.values, "enabled") === "true";
  return (
    <>
      <p>
        Opsbox replicates its database continuously to an S3-compatible bucket (Amazon S3, Backblaze B2, MinIO, Wasabi
        …), to a local or mounted directory, or to both. You can set this up later in Settings → Backups.
      </p>
      <fieldset>
        <legend>Backups</legend>
        <label class="choice">
          <input type="radio" name="enabled" value="false" checked={!enabled} />
          <span>Not now</span>
        </label>
        <label class="choice">
          <input type="radio" name="enabled" value="true" checked={enabled} />
          <span>Back up to a bucket or a directory</span>
        </label>
      </fieldset>
      <BackupReplicaFields
        values={props.values}
        errors={props.errors}
        secretKept={props.secretKept}
        retentionFloorDays={props.retentionFloorDays}
      />
    </>
  );
}

export function AiStep(props: StepProps & { installed: string[] }) {
  return (
    <>
      <p>
        The assistant and document search run on local models (GGUF files in the data directory's <code>models/</code>{" "}
        folder); nothing leaves the box. Without a model, search falls back to keywords. You can install models later in
        Settings.
      </p>
      <Field
        name="chatModel"
        label="Chat model"
        value={text(props.values, "chatModel")}
        error={props.errors.chatModel}
        placeholder="Phi-3-mini-4k-instruct-q4.gguf"
        hint={
          props.installed.length > 0 ? `Installed: ${props.installed.join(", ")}` : "No model files are installed yet."
        }
      />
      <Field
        name="embeddingModel"
        label="Embedding model"
        value={text(props.values, "embeddingModel")}
        error={props.errors.embeddingModel}
        placeholder="nomic-embed-text-v1.5.Q8_0.gguf"
      />
    </>
  );
}
