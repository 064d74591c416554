import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const dir = mkdtempSync(join(tmpdir(), "prof-"));
process.env.OPSBOX_DATA_DIR = dir;
const { seedWorkspace } = await import("./seed-workspace.ts");
const creds = await seedWorkspace(Number(process.argv[2] ?? 100000));
const { openDatabase, databasePath } = await import("../server/db.ts");
const { verifyApiKey } = await import("../server/auth/api-keys.ts");
const { resolveMembership } = await import("../server/auth/roles.ts");
const { listTasks } = await import("../server/work/tasks/list.ts");
const { taskListQuery } = await import("../server/work/tasks/schemas.ts");
const db = openDatabase(databasePath(dir));
const time = (label: string, n: number, fn: () => unknown) => {
  for (let i = 0; i < 200; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  console.log(label, (((performance.now() - t0) / n) * 1000).toFixed(1), "µs");
};
const key = verifyApiKey(db, creds.apiKey)!;
time("verifyApiKey", 5000, () => verifyApiKey(db, creds.apiKey));
time("resolveMembership", 5000, () => resolveMembership(db, key.userId, key.orgId));
const q = taskListQuery.parse({ status: "todo", assigneeId: creds.userId, limit: "20" });
time("listTasks", 5000, () => listTasks({ db, orgId: creds.orgId, userId: creds.userId }, q));
time("raw point", 5000, () => db.$client.query("select * from api_keys where prefix = ?").get(key.prefix));
{
  const { apiKeys, users } = await import("../models/identity.ts");
  const { eq, sql } = await import("drizzle-orm");
  const prep = db.select().from(apiKeys).innerJoin(users, eq(users.id, apiKeys.userId)).where(eq(apiKeys.prefix, sql.placeholder("prefix"))).prepare();
  time("drizzle prepared join get", 5000, () => prep.get({ prefix: key.prefix }));
  const q = prep.getQuery();
  console.log(q.sql);
  const st = db.$client.prepare(q.sql);
  time("raw values same sql", 5000, () => st.values(key.prefix));
  time("raw get same sql", 5000, () => st.get(key.prefix));
  const st2 = db.$client.query(q.sql);
  time("query() values", 5000, () => st2.values(key.prefix));
}
