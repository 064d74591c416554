import { closeSync, openSync, writeSync } from "node:fs";
import { eq, inArray, sql } from "drizzle-orm";
import { memberships, organizations, users } from "../../models/identity.ts";
import { documents } from "../../models/knowledge.ts";
import { recordAudit } from "../audit/service.ts";
import type { Db } from "../db.ts";
import { notFound } from "../http/errors.ts";
import { storedFilePath } from "../knowledge/upload/files.ts";
import { safeFileName } from "./person-export.ts";
import { totalsTables, walkedTables } from "./tables.ts";
import { ZipWriter } from "./zip.ts";

/**
 * Tables an organisation export leaves out: secrets and single-use tokens, sign-in state, and
 * what the box derives again from the rest (search text, totals, queues).
 */
const leftOut = new Set([
  "sessions",
  "email_tokens",
  "sso_providers",
  "document_chunks",
  "ingestion_jobs",
  ...totalsTables,
]);
/** Columns that never leave the box: key hashes, and mail bodies that may carry a single-use link. */
const secretColumns: Record<string, readonly string[]> = {
  api_keys: ["secret_hash"],
  mail_messages: ["text_body"],
  mail_inboxes: ["password_encrypted"],
  github_connections: ["token_encrypted"],
};

export type ExportProgress = { rows: number; totalRows: number; files: number; totalFiles: number };

const PAGE = 1000;

/**
 * Writes the whole organisation to `outPath` as a zip: one JSON array per table (snake_case
 * columns, as stored), its people without any secret, and every uploaded file. `onProgress`
 * hears every page of rows and every file. Audited as `privacy.exported` (scope `organization`).
 */
export function exportOrganization(
  db: Db,
  dataDir: string,
  orgRef: string,
  outPath: string,
  onProgress: (progress: ExportProgress) => void = () => {},
): ExportProgress {
  const org = db
    .select()
    .from(organizations)
    .where(sql`${organizations.id} = ${orgRef} or ${organizations.name} = ${orgRef}`)
    .get();
  if (!org) throw notFound("organisation");
  const tables = walkedTables.filter((table) => table.hasOrgId && !leftOut.has(table.name));
  const countOf = (name: string) =>
    db.get<{ n: number }>(sql`select count(*) as n from ${sql.identifier(name)} where org_id = ${org.id}`)?.n ?? 0;
  const uploads = db
    .select({ id: documents.id, sha256: documents.sha256, fileName: documents.fileName })
    .from(documents)
    .where(eq(documents.orgId, org.id))
    .all();
  const progress: ExportProgress = {
    rows: 0,
    totalRows: tables.reduce((sum, table) => sum + countOf(table.name), 0),
    files: 0,
    totalFiles: uploads.length,
  };
  const fd = openSync(outPath, "w", 0o600);
  try {
    const zip = new ZipWriter((chunk) => writeSync(fd, chunk));
    zip.addJson("organization.json", org);
    zip.addJson("people.json", people(db, org.id));
    for (const table of tables) {
      zip.addJsonRows(
        `tables/${table.name}.json`,
        pagesOf(db, table.name, org.id, secretColumns[table.name] ?? []),
        () => {
          progress.rows += 1;
          if (progress.rows % PAGE === 0) onProgress({ ...progress });
        },
      );
    }
    onProgress({ ...progress });
    for (const upload of uploads) {
      zip.addFile(`files/${upload.id}-${safeFileName(upload.fileName)}`, storedFilePath(dataDir, upload.sha256));
      progress.files += 1;
      onProgress({ ...progress });
    }
    zip.end();
  } finally {
    closeSync(fd);
  }
  recordAudit(db, {
    orgId: org.id,
    action: "privacy.exported",
    details: { scope: "organization", rows: progress.rows, files: progress.files },
  });
  return progress;
}

/** The organisation's people: account facts without password hashes or second-factor keys. */
function people(db: Db, orgId: string) {
  const ids = db.select({ id: memberships.userId }).from(memberships).where(eq(memberships.orgId, orgId));
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      status: users.status,
      createdAt: users.createdAt,
      lastSignInAt: users.lastSignInAt,
    })
    .from(users)
    .where(inArray(users.id, ids))
    .all();
}

/** A table's rows of one organisation, a page at a time (by rowid), without blobs and secret columns. */
function* pagesOf(db: Db, name: string, orgId: string, hidden: readonly string[]): Generator<Record<string, unknown>> {
  let after = -1;
  for (;;) {
    const rows = db.all<Record<string, unknown>>(
      sql`select rowid as _rowid, * from ${sql.identifier(name)} where org_id = ${orgId} and rowid > ${after} order by rowid limit ${PAGE}`,
    );
    for (const row of rows) {
      after = Number(row._rowid);
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) {
        if (key === "_rowid" || hidden.includes(key) || value instanceof Uint8Array) continue;
        out[key] = value;
      }
      yield out;
    }
    if (rows.length < PAGE) return;
  }
}
