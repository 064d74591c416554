import { Database } from "bun:sqlite";
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, freemem, totalmem } from "node:os";
import { join } from "node:path";
import * as sqliteVec from "sqlite-vec";
import type { Config } from "../config.ts";
import { databasePath, openDatabase } from "../db.ts";
import { migrationStatus } from "../migrate.ts";
import { formatBytes } from "../tools/bytes.ts";
import { checkDiskSpace } from "./readiness.ts";

export type DoctorCheck = { name: string; status: "ok" | "warn" | "fail"; detail: string };

const MIN_MEMORY_BYTES = 1024 ** 3;

/** Everything an operator wants to know before trusting the box; no check changes data. */
export function runDoctor(config: Config): DoctorCheck[] {
  return [
    { name: "Bun", status: "ok", detail: Bun.version },
    checkSqlite(),
    checkDataDirWritable(config.dataDir),
    checkFreeDisk(config),
    checkDatabase(config),
    { name: "CPU cores", status: "ok", detail: String(availableParallelism()) },
    checkMemory(),
    checkModels(config.dataDir),
    {
      name: "Secret key",
      status: "ok",
      detail:
        config.secretKeySource === "environment"
          ? "from OPSBOX_SECRET_KEY"
          : `from ${join(config.dataDir, "secret-key")}`,
    },
  ];
}

function checkSqlite(): DoctorCheck {
  const memory = new Database(":memory:");
  try {
    const version = memory.query<{ v: string }, []>("SELECT sqlite_version() AS v").get()?.v;
    sqliteVec.load(memory);
    const vec = memory.query<{ v: string }, []>("SELECT vec_version() AS v").get()?.v;
    return { name: "SQLite", status: "ok", detail: `${version}, sqlite-vec ${vec}` };
  } catch (error) {
    return { name: "SQLite", status: "fail", detail: `sqlite-vec does not load: ${message(error)}` };
  } finally {
    memory.close();
  }
}

function checkDataDirWritable(dataDir: string): DoctorCheck {
  const probe = join(dataDir, `.doctor-${process.pid}`);
  try {
    writeFileSync(probe, "ok");
    rmSync(probe);
    return { name: "Data directory", status: "ok", detail: `${dataDir} is writable` };
  } catch (error) {
    return { name: "Data directory", status: "fail", detail: `${dataDir} is not writable: ${message(error)}` };
  }
}

function checkFreeDisk(config: Config): DoctorCheck {
  const result = checkDiskSpace(config.dataDir, config.minFreeDiskBytes);
  const free = typeof result.freeBytes === "number" ? formatBytes(result.freeBytes, 1024) : "unknown";
  if (result.status === "ok") return { name: "Free disk", status: "ok", detail: `${free} free` };
  return {
    name: "Free disk",
    status: "fail",
    detail: `${free} free, below the minimum of ${formatBytes(config.minFreeDiskBytes, 1024)} (OPSBOX_MIN_FREE_DISK_MB)`,
  };
}

function checkDatabase(config: Config): DoctorCheck {
  const path = databasePath(config.dataDir);
  if (!existsSync(path))
    return { name: "Database", status: "ok", detail: "not created yet: the first start creates it" };
  try {
    const db = openDatabase(path, { readonly: true });
    try {
      const status = migrationStatus(db);
      const size = formatBytes(statSync(path).size, 1024);
      if (status.newerThanCode) {
        return { name: "Database", status: "fail", detail: `${path} was migrated by a newer Opsbox; upgrade Opsbox` };
      }
      if (status.pending > 0) {
        return {
          name: "Database",
          status: "warn",
          detail: `${size}, ${status.pending} migration(s) pending: applied at the next start or by opsbox migrate`,
        };
      }
      return { name: "Database", status: "ok", detail: `${size}, schema ${status.expectedVersion ?? "empty"}` };
    } finally {
      db.$client.close();
    }
  } catch (error) {
    return { name: "Database", status: "fail", detail: `${path} cannot be read: ${message(error)}` };
  }
}

function checkMemory(): DoctorCheck {
  const detail = `${formatBytes(totalmem(), 1024)} total, ${formatBytes(freemem(), 1024)} free`;
  if (totalmem() < MIN_MEMORY_BYTES)
    return { name: "Memory", status: "warn", detail: `${detail}: under 1 GB, AI models will not fit` };
  return { name: "Memory", status: "ok", detail };
}

function checkModels(dataDir: string): DoctorCheck {
  const dir = join(dataDir, "models");
  const models = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".gguf")) : [];
  if (models.length === 0) {
    return {
      name: "AI models",
      status: "warn",
      detail: "none installed: search uses keywords only and the assistant is off",
    };
  }
  return { name: "AI models", status: "ok", detail: models.join(", ") };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
