import { type Config, loadConfig } from "./config.ts";
import { closeDatabase, type Db, databasePath, openDatabase } from "./db.ts";
import { createLogger, type Logger } from "./http/logger.ts";
import { migrate } from "./migrate.ts";
import { createKeyring, type Keyring } from "./tools/secrets.ts";

/** Commands exit 1 with one line on stderr when something is wrong; stdout is for results. */
export class CliFailure extends Error {}

export type CliContext = { config: Config; db: Db; keyring: Keyring; log: Logger };

/**
 * Opens what a CLI command needs (configuration, a migrated database, the keyring, a logger
 * on stderr), runs `work`, and closes the database whatever happens.
 */
export async function withCliContext<T>(work: (ctx: CliContext) => T | Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const db = openDatabase(databasePath(config.dataDir));
  try {
    migrate(db);
    const log = createLogger(config.logLevel === "info" ? "warn" : config.logLevel, {
      write: (line: string) => void process.stderr.write(line),
    });
    return await work({ config, db, keyring: createKeyring(config.secretKey, config.previousSecretKeys), log });
  } finally {
    closeDatabase(db);
  }
}
