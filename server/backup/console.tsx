/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { BackupsPage } from "../../views/pages/settings/backups.tsx";
import { BackupSettingsForm, type BackupSettingsFormProps } from "../../views/pages/settings/backups-form.tsx";
import { BackupListingPanel } from "../../views/pages/settings/backups-listing.tsx";
import { BackupStatusPanel } from "../../views/pages/settings/backups-status.tsx";
import { renderPage } from "../console/render.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import { redirectTo } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { isInstanceAdmin, requireInstanceAdmin, requirePermission } from "../http/guards.ts";
import { isHtmxRequest } from "../http/htmx.ts";
import { type FormSpec, validateForm } from "../http/validate-form.ts";
import { backupActorOf } from "./actor.ts";
import { backupKeyDownload } from "./api.ts";
import { applyBackupSettings } from "./apply.ts";
import { backupFormProps, backupKeyProps, backupListingProps, backupStatusProps } from "./console-props.ts";
import { ensureKeyWhenEnabled } from "./encryption.ts";
import { type BackupJobKind, startBackupJob } from "./jobs.ts";
import { backupKeyDownloadForm, exportBackupKeyOnce } from "./key-export.ts";
import { backupSettingsUpdate, changeBackupSettings } from "./settings-change.ts";
import { readBackupListing } from "./snapshots.ts";

// The header marks Settings by its first page; the settings menu marks this section.
const page = { title: "Backups", current: "/settings/users" };
const notices: Record<string, string> = { saved: "Backup settings saved and applied." };
const fieldNames = [
  "bucket",
  "path",
  "endpoint",
  "region",
  "accessKeyId",
  "secretAccessKey",
  "directory",
  "retentionDays",
];

const given = (value: string | undefined) => (value?.trim() ? value : undefined);

type PageState = { form?: BackupSettingsFormProps; keyErrors?: Record<string, string>; status?: ContentfulStatusCode };

function backupsPage(c: Context<AppEnv>, notice: string | null, state: PageState = {}) {
  const props = {
    switcher: organizationSwitcher(c),
    status: backupStatusProps(c),
    encryptionKey: backupKeyProps(c, state.keyErrors),
    form: isInstanceAdmin(c) ? (state.form ?? backupFormProps(c)) : null,
    notice,
  };
  return renderPage(c, page, <BackupsPage {...props} />, state.status ?? 200);
}

const settingsForm: FormSpec<Record<string, string>> = {
  values: (form) =>
    Object.fromEntries(["enabled", "forcePathStyle", ...fieldNames].map((name) => [name, form.text(name)])),
  input: (values) =>
    values.enabled !== "on"
      ? { enabled: false }
      : {
          enabled: true,
          ...Object.fromEntries(fieldNames.map((name) => [name, given(values[name])])),
          forcePathStyle: values.forcePathStyle === "on",
        },
  invalid: (c, values, { errors, status }) => {
    // The secret typed is never drawn back into the page.
    const form = backupFormProps(c, { values: { ...values, secretAccessKey: "" }, errors });
    if (isHtmxRequest(c)) return c.html(<BackupSettingsForm {...form} />, status);
    return backupsPage(c, null, { form, status });
  },
};

/** The key's one download: the box says the person means it, since a second one is refused. */
const keyForm: FormSpec<{ keepOffline: string }> = {
  values: (form) => ({ keepOffline: form.text("keepOffline") }),
  input: (values) => ({ keepOffline: values.keepOffline === "on" }),
  invalid: (c, _values, { errors, status }) => backupsPage(c, null, { keyErrors: errors, status }),
};

/** "Back up now" and "Test restore": started in the background; the panel then follows them. */
function startJob(c: Context<AppEnv>, kind: BackupJobKind) {
  let error: string | null = null;
  let status: ContentfulStatusCode = 200;
  try {
    startBackupJob(c.var.deps, kind, backupActorOf(c));
  } catch (refusal) {
    if (!(refusal instanceof AppError) || !["conflict", "unavailable"].includes(refusal.code)) throw refusal;
    error = refusal.message;
    status = refusal.status as ContentfulStatusCode;
  }
  if (!isHtmxRequest(c)) return error ? backupsPage(c, null, { status }) : redirectTo(c, "/settings/backups");
  return c.html(<BackupStatusPanel {...backupStatusProps(c, error)} />, status);
}

/**
 * Settings → Backups. Admins with backups.manage see the status and the snapshots; where backups
 * go, backing up now and test restores are the box's instance admin's alone (box-wide).
 */
export const backupsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("backups.manage"), (c) => backupsPage(c, notices[c.req.query("notice") ?? ""] ?? null))
  .get("/status", requirePermission("backups.manage"), (c) => {
    c.header("Cache-Control", "no-store");
    return c.html(<BackupStatusPanel {...backupStatusProps(c)} />);
  })
  .get("/snapshots", requirePermission("backups.manage"), async (c) => {
    try {
      const listing = await readBackupListing(c.var.deps);
      return c.html(<BackupListingPanel {...backupListingProps(listing)} />);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return c.html(
        <BackupListingPanel state="failed" message={error.message} />,
        error.status as ContentfulStatusCode,
      );
    }
  })
  .post("/snapshot", requireInstanceAdmin(), (c) => startJob(c, "snapshot"))
  .post("/verify", requireInstanceAdmin(), (c) => startJob(c, "verify"))
  .post("/key", requireInstanceAdmin(), validateForm(backupKeyDownloadForm, keyForm), async (c) => {
    const { refused } = c.req.valid("form");
    const { db, keyring } = c.var.deps;
    let file: string;
    try {
      file = await exportBackupKeyOnce(db, keyring, backupActorOf(c));
    } catch (error) {
      return refused(error);
    }
    return backupKeyDownload(c, file);
  })
  .post("/settings", requireInstanceAdmin(), validateForm(backupSettingsUpdate, settingsForm), async (c) => {
    const { input, refused } = c.req.valid("form");
    const { db, keyring, log } = c.var.deps;
    try {
      changeBackupSettings(db, keyring, backupActorOf(c), input);
    } catch (error) {
      return refused(error);
    }
    // The key is made before the answer (milliseconds), so the page the admin lands on offers its download.
    await ensureKeyWhenEnabled(db, keyring, log);
    applyBackupSettings(c.var.deps);
    return redirectTo(c, "/settings/backups?notice=saved");
  });
