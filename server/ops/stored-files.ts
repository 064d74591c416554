import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { documents } from "../../models/knowledge.ts";
import type { Config } from "../config.ts";
import { databasePath, openDatabase } from "../db.ts";
import { checkStoredFile, filesDir, isSha256, syncDirectory } from "../knowledge/upload/files.ts";

/**
 * `opsbox doctor --repair-files`: every stored file is read and its size and hash checked
 * against its name and its documents. A bad one is moved aside to `<data dir>/quarantine/files/`
 * (never deleted: it may be all that is left of a document), and documents without a good file
 * are listed so that someone uploads them again (the upload puts the file back).
 */

export type QuarantinedFile = { name: string; reason: string; movedTo: string };
export type DocumentWithoutFile = { id: string; orgId: string; title: string; sha256: string };
export type StoredFilesReport = {
  checked: number;
  quarantined: QuarantinedFile[];
  missing: DocumentWithoutFile[];
  /** Files in files/ that are not named by a sha256: left alone, only reported. */
  strangers: string[];
};

export function quarantineDir(dataDir: string): string {
  return join(dataDir, "quarantine", "files");
}

/** Checks every stored file, quarantines the bad ones, lists documents left without a file. */
export function repairStoredFiles(config: Config): StoredFilesReport {
  const rows = readDocuments(config);
  const sizesBySha = new Map<string, Set<number>>();
  for (const row of rows) sizesBySha.set(row.sha256, (sizesBySha.get(row.sha256) ?? new Set()).add(row.sizeBytes));
  const dir = filesDir(config.dataDir);
  const report: StoredFilesReport = { checked: 0, quarantined: [], missing: [], strangers: [] };
  const names = existsSync(dir) ? readdirSync(dir) : [];
  for (const name of names) {
    if (name === "tmp") continue;
    if (!isSha256(name) || !statSync(join(dir, name)).isFile()) {
      report.strangers.push(name);
      continue;
    }
    report.checked += 1;
    const reason = fileProblem(join(dir, name), name, sizesBySha.get(name));
    if (reason) report.quarantined.push({ name, reason, movedTo: quarantine(config.dataDir, name) });
  }
  for (const row of rows) {
    if (!existsSync(join(dir, row.sha256))) {
      report.missing.push({ id: row.id, orgId: row.orgId, title: row.title, sha256: row.sha256 });
    }
  }
  return report;
}

/** Why a stored file cannot be trusted, or null when its bytes are what its name and documents say. */
function fileProblem(path: string, sha256: string, documentSizes: Set<number> | undefined): string | null {
  const check = checkStoredFile(path, sha256);
  if (!check.ok) return `its bytes (${check.sizeBytes}) hash to ${check.sha256}, not to its name`;
  if (documentSizes && !documentSizes.has(check.sizeBytes)) {
    return `it holds ${check.sizeBytes} bytes; its documents say ${[...documentSizes].join(", ")}`;
  }
  return null;
}

function quarantine(dataDir: string, name: string): string {
  const target = quarantineDir(dataDir);
  mkdirSync(target, { recursive: true, mode: 0o700 });
  const movedTo = join(target, `${name}.${new Date().toISOString().replace(/[:.]/g, "-")}`);
  renameSync(join(filesDir(dataDir), name), movedTo);
  syncDirectory(filesDir(dataDir));
  syncDirectory(target);
  return movedTo;
}

function readDocuments(config: Config) {
  const path = databasePath(config.dataDir);
  if (!existsSync(path)) return [];
  const db = openDatabase(path, { readonly: true });
  try {
    return db
      .select({
        id: documents.id,
        orgId: documents.orgId,
        title: documents.title,
        sha256: documents.sha256,
        sizeBytes: documents.sizeBytes,
      })
      .from(documents)
      .all();
  } finally {
    db.$client.close();
  }
}
