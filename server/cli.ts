import { Command } from "commander";
import pkg from "../package.json" with { type: "json" };
import { registerAgentCommands } from "./agents/cli.ts";
import { registerModelCommands } from "./ai/cli.ts";
import { registerKeyCommands } from "./auth/keys/keys-cli.ts";
import { registerBackupCommands } from "./backup/cli.ts";
import { CliFailure } from "./cli-context.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { closeDatabase, databasePath, openDatabase, sqliteVersion } from "./db.ts";
import { registerJobCommands } from "./jobs/cli.ts";
import { registerMailCommands } from "./mail/cli.ts";
import { migrate, SchemaTooNewError } from "./migrate.ts";
import { runDoctor } from "./ops/doctor.ts";
import { repairStoredFiles, type StoredFilesReport } from "./ops/stored-files.ts";
import { registerExportCommand } from "./privacy/cli.ts";
import { registerSetupCommands } from "./setup/cli.ts";
import { registerOrganizationCommands } from "./setup/organizations-cli.ts";

export function config(): Config {
  return loadConfig(process.env);
}

export function buildCli(): Command {
  const program = new Command("opsbox")
    .description("Operate an Opsbox: the back office of a small business in one box.")
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command("version")
    .description("print the Opsbox, Bun and SQLite versions")
    .action(() => {
      const db = openDatabase(":memory:");
      try {
        console.log(`opsbox ${pkg.version} (bun ${Bun.version}, sqlite ${sqliteVersion(db)})`);
      } finally {
        db.$client.close();
      }
    });

  program
    .command("migrate")
    .description("apply pending database migrations (the server also does this at start)")
    .action(() => {
      const settings = config();
      const db = openDatabase(databasePath(settings.dataDir));
      try {
        const applied = migrate(db);
        console.log(
          applied.length === 0
            ? "The database is up to date."
            : `Applied ${applied.length} migration(s): ${applied.join(", ")}.`,
        );
      } finally {
        closeDatabase(db);
      }
    });

  program
    .command("doctor")
    .description("check the runtime, database, data directory, disk, memory and models")
    .option(
      "--repair-files",
      "also read every stored file: quarantine those whose size or hash does not match (moved aside, never deleted) and list documents without their file",
    )
    .action((options: { repairFiles?: boolean }) => {
      const settings = config();
      const checks = runDoctor(settings);
      const marks = { ok: "✔", warn: "!", fail: "✘" } as const;
      const width = Math.max(...checks.map((check) => check.name.length));
      for (const check of checks) console.log(`${marks[check.status]} ${check.name.padEnd(width)}  ${check.detail}`);
      const failed = checks.filter((check) => check.status === "fail").length;
      const fileProblems = options.repairFiles ? printStoredFilesReport(repairStoredFiles(settings)) : 0;
      if (failed > 0) throw new CliFailure(`${failed} check(s) failed.`);
      if (fileProblems > 0) throw new CliFailure(`${fileProblems} problem(s) with stored files: see above.`);
      console.log("\nAll required checks passed.");
    });

  registerSetupCommands(program);
  registerOrganizationCommands(program);
  registerKeyCommands(program);
  registerModelCommands(program);
  registerExportCommand(program);
  registerBackupCommands(program);
  registerJobCommands(program);
  registerAgentCommands(program);
  registerMailCommands(program);
  return program;
}

/** Prints what --repair-files found and did; returns how many problems it found. */
function printStoredFilesReport(report: StoredFilesReport): number {
  const { quarantined, missing, strangers } = report;
  console.log(
    `\n${quarantined.length === 0 ? "✔" : "✘"} Stored files  ${report.checked} checked, ${quarantined.length} bad`,
  );
  for (const file of quarantined) console.log(`  ✘ files/${file.name}: ${file.reason}; quarantined at ${file.movedTo}`);
  for (const name of strangers) console.log(`  ! files/${name}: not a stored file's name; left alone`);
  console.log(`${missing.length === 0 ? "✔" : "✘"} Documents     ${missing.length} without their file`);
  for (const document of missing) {
    console.log(
      `  ✘ ${document.id} “${document.title}” (organisation ${document.orgId}): no file ${document.sha256}; upload it again`,
    );
  }
  return quarantined.length + missing.length;
}

async function main(argv: string[]): Promise<void> {
  process.umask(0o077);
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    if (error instanceof CliFailure || error instanceof ConfigError || error instanceof SchemaTooNewError) {
      process.stderr.write(`opsbox: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

if (import.meta.main) await main(process.argv);
