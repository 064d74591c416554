import { eq } from "drizzle-orm";
import { instanceSettings } from "../../models/instance.ts";
import type { Db } from "../db.ts";

export const SETUP_COMPLETED_KEY = "setup.completedAt";

/** True once the first-boot setup has finished; until then every console page leads to /setup. */
export function isSetupComplete(db: Db): boolean {
  const row = db
    .select({ key: instanceSettings.key })
    .from(instanceSettings)
    .where(eq(instanceSettings.key, SETUP_COMPLETED_KEY))
    .get();
  return row !== undefined;
}
