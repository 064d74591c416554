import type { Command } from "commander";
import { CliFailure, withCliContext } from "../cli-context.ts";
import { AppError } from "../http/errors.ts";
import { backupKeyStatus } from "./key.ts";
import { exportBackupKeyOnce } from "./key-export.ts";

/** `opsbox backup key [--export]`: the backup encryption key's state, or the key itself, once. */
export function registerBackupKeyCommand(backup: Command): void {
  backup
    .command("key")
    .description("the key that encrypts the backups: its state, or --export to print it (only once)")
    .option("--export", "print the key to keep offline; it is shown only this once")
    .action((options: { export?: boolean }) =>
      withCliContext(async (ctx) => {
        if (options.export) {
          try {
            process.stdout.write(
              await exportBackupKeyOnce(ctx.db, ctx.keyring, { userId: null, apiKeyId: null, meta: {} }),
            );
          } catch (error) {
            if (error instanceof AppError) throw new CliFailure(error.message);
            throw error;
          }
          process.stderr.write(
            "Keep this key offline (a password manager, a printout): it is not shown again, and a backup cannot be read without it once this box is lost.\n",
          );
          return;
        }
        const status = backupKeyStatus(ctx.db);
        if (!status.exists) {
          console.log("No backup key yet: it is made when backups first run.");
          return;
        }
        console.log(`Public key   ${status.recipient}`);
        console.log(`Created      ${status.createdAt}`);
        console.log(
          `Downloaded   ${status.exportedAt ?? "never: run `opsbox backup key --export` and keep it offline"}`,
        );
      }),
    );
}
