/**
 * Seeds a data directory for the workspace benchmark: a set-up box, 20 people, 10 projects and
 * (by default) 100,000 tasks spread over statuses, assignees, projects and the last year, then
 * prints (or writes with --out) the credentials the benchmark needs: a manager's API key and a
 * session cookie. Writes in batches of 5,000 rows per transaction (synchronous=FULL pays one
 * fsync per commit). Usage:
 *   OPSBOX_DATA_DIR=./bench-data bun bench/seed-workspace.ts [--tasks 100000] [--out FILE]
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { memberships, users } from "../models/identity.ts";
import { type NewTask, projects, type TaskPriority, type TaskStatus, tasks } from "../models/work.ts";
import { createApiKey } from "../server/auth/keys/api-keys.ts";
import { rolePermissions } from "../server/auth/roles/permissions.ts";
import { createSession, sessionPolicyDefaults } from "../server/auth/sessions/sessions.ts";
import { withCliContext } from "../server/cli-context.ts";
import type { Db } from "../server/db.ts";
import { setupInput } from "../server/setup/schemas.ts";
import { completeSetup } from "../server/setup/service.ts";
import { isSetupComplete } from "../server/setup/state.ts";
import { newId } from "../server/tools/ids.ts";

export type SeedCredentials = {
  orgId: string;
  /** The manager whose key and session the benchmark uses; also the assignee it filters on. */
  userId: string;
  apiKey: string;
  sessionCookie: string;
  projectId: string;
  tasks: number;
};

const STATUSES: TaskStatus[] = ["todo", "in_progress", "blocked", "review", "done"];
const PRIORITIES: TaskPriority[] = ["low", "medium", "high", "urgent"];
const WORDS = ["boiler", "invoice", "fence", "roof", "audit", "pump", "ledger", "tractor", "contract", "server"];
const BATCH = 5_000;

export async function seedWorkspace(taskCount: number): Promise<SeedCredentials> {
  return withCliContext(async ({ db, keyring, config }) => {
    if (!isSetupComplete(db)) {
      await completeSetup(
        { db, keyring, dataDir: config.dataDir },
        setupInput.parse({
          organization: { name: "Bench Ltd", industry: "general", complianceLevel: "basic" },
          admin: { name: "Bench Admin", email: "admin@bench.test", password: "quiet lantern orbit 4815" },
          agents: { defaults: [] },
        }),
      );
    }
    const orgId = db.select({ orgId: memberships.orgId }).from(memberships).limit(1).get()?.orgId;
    if (!orgId) throw new Error("the box has no organisation");
    const now = Date.now();

    const people = Array.from({ length: 20 }, (_, index) => ({
      id: newId("usr"),
      name: `Bench Person ${index + 1}`,
      email: `person${index + 1}.${now}@bench.test`,
    }));
    const projectIds = Array.from({ length: 10 }, () => newId("prj"));
    db.transaction((tx) => {
      for (const person of people) {
        tx.insert(users)
          .values({ ...person, status: "active", passwordHash: null })
          .run();
        tx.insert(memberships)
          .values({ id: newId("mem"), orgId, userId: person.id, role: people[0] === person ? "manager" : "member" })
          .run();
      }
      projectIds.forEach((id, index) => {
        tx.insert(projects)
          .values({ id, orgId, name: `Project ${index + 1}`, code: `B${now % 100_000}-${index + 1}` })
          .run();
      });
    });

    insertInBatches(db, tasks, taskCount, "tasks", (index): NewTask => {
      // Spread creation over the last year so ids (time-sortable) look like real history.
      const created = spreadOverYear(index, taskCount, now);
      return {
        id: newId("tsk", created),
        orgId,
        projectId: projectIds[index % projectIds.length] ?? null,
        title: `Check the ${WORDS[index % WORDS.length]} #${index + 1}`,
        description: `Seeded task ${index + 1} for the benchmark.`,
        status: STATUSES[index % STATUSES.length] ?? "todo",
        priority: PRIORITIES[index % PRIORITIES.length] ?? "medium",
        assigneeId: people[index % people.length]?.id ?? null,
        reporterId: people[(index + 1) % people.length]?.id ?? null,
        labels: index % 3 === 0 ? ["maintenance"] : [],
        dueAt: index % 4 === 0 ? new Date(created + 14 * 86_400_000) : null,
        lastActivityAt: new Date(created),
        createdAt: new Date(created),
        updatedAt: new Date(created),
      };
    });

    const manager = people[0];
    if (!manager) throw new Error("no people were seeded");
    const { key } = createApiKey(
      db,
      { orgId, userId: manager.id, name: "Benchmark", scopes: [...rolePermissions.manager], expiresAt: null },
      rolePermissions.manager,
    );
    const { token } = createSession(db, {
      userId: manager.id,
      orgId,
      twoFactorVerified: false,
      policy: sessionPolicyDefaults,
    });
    return {
      orgId,
      userId: manager.id,
      apiKey: key,
      sessionCookie: `opsbox_session=${token}`,
      projectId: projectIds[0] ?? "",
      tasks: taskCount,
    };
  });
}

/** When row `index` of `count` was made: spread over the year before `now`, oldest first. */
export function spreadOverYear(index: number, count: number, now: number): number {
  return now - Math.floor(((count - index) / count) * 365 * 86_400_000);
}

/**
 * Inserts `count` rows made by `row(index)` into `table`, BATCH rows per transaction
 * (synchronous=FULL pays one fsync per commit), with progress on stderr.
 */
export function insertInBatches<Table extends SQLiteTable>(
  db: Db,
  table: Table,
  count: number,
  label: string,
  row: (index: number) => Table["$inferInsert"],
): void {
  for (let start = 0; start < count; start += BATCH) {
    const rows: Table["$inferInsert"][] = [];
    for (let index = start; index < Math.min(count, start + BATCH); index++) rows.push(row(index));
    db.transaction((tx) => {
      for (const value of rows) tx.insert(table).values(value).run();
    });
    process.stderr.write(`seed: ${Math.min(count, start + BATCH)} / ${count} ${label}\r`);
  }
  if (count > 0) process.stderr.write("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { tasks: { type: "string", default: "100000" }, out: { type: "string" } },
  });
  const count = Number(values.tasks);
  if (!Number.isInteger(count) || count < 0) throw new Error("--tasks must be a whole number");
  const credentials = await seedWorkspace(count);
  const text = `${JSON.stringify(credentials, null, 2)}\n`;
  if (values.out) writeFileSync(values.out, text, { mode: 0o600 });
  else process.stdout.write(text);
}
