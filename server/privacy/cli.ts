import type { Command } from "commander";
import { CliFailure, withCliContext } from "../cli-context.ts";
import { AppError } from "../http/errors.ts";
import { type ExportProgress, exportOrganization } from "./org-export.ts";

function progressLine(progress: ExportProgress): string {
  return `rows ${progress.rows}/${progress.totalRows} · files ${progress.files}/${progress.totalFiles}`;
}

/** Registers `opsbox export --org <id or name> [--out file.zip]`. */
export function registerExportCommand(program: Command): void {
  program
    .command("export")
    .description("export a whole organisation as a zip of JSON tables and its uploaded files")
    .requiredOption("--org <org>", "the organisation's id or exact name")
    .option("--out <file>", "where to write the zip", "opsbox-export.zip")
    .action(async (options: { org: string; out: string }) => {
      await withCliContext(({ config, db }) => {
        // Progress on stderr, so stdout stays the result; a terminal gets one line rewritten in place.
        const tty = process.stderr.isTTY === true;
        let last = 0;
        const report = (progress: ExportProgress) => {
          const now = Date.now();
          if (tty) process.stderr.write(`\r${progressLine(progress)}`);
          else if (now - last > 1000 || progress.files === progress.totalFiles) {
            process.stderr.write(`${progressLine(progress)}\n`);
            last = now;
          }
        };
        try {
          const done = exportOrganization(db, config.dataDir, options.org, options.out, report);
          if (tty) process.stderr.write("\n");
          console.log(`Exported ${done.rows} rows and ${done.files} files to ${options.out}.`);
        } catch (error) {
          if (error instanceof AppError) throw new CliFailure(error.message);
          throw error;
        }
      });
    });
}
