/**
 * The floor (issue 13): a bare Hono + bun:sqlite server doing the work of Opsbox's hottest
 * requests and nothing else, so that Opsbox can be measured as a percentage of it in the same
 * run (absolute figures on the shared box swing by ±30%). Per request: the API key looked up by
 * its prefix and its secret's SHA-256 compared as Opsbox does, then
 *   GET  /api/v1/tasks?status=…&assigneeId=…&limit=20  the same indexed page, as the same JSON;
 *   POST /api/v1/tasks                                  one insert into tasks, answered once committed.
 *   POST /api/v1/tasks?each                             the same insert in a commit of its own, as issue 13
 *                                                       words the floor ("one insert per request").
 * Without `?each`, inserts that arrive in the same turn of the event loop share one commit, as
 * Opsbox's do (server/work/tasks/group-commit.ts): a stricter floor, since with synchronous=FULL
 * a commit per request is bound by the disk's fsync rate (from 236 to about 8,700 commits/s on
 * this shared box, depending on the day). It opens a copy of the benchmark's Opsbox database
 * (same rows, indexes and search triggers) with the same settings: WAL, synchronous=FULL, a
 * 64 MiB cache.
 *   FLOOR_DB=path PORT=n bun bench/floor-server.ts
 */
import { Database } from "bun:sqlite";
import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** A task id as Opsbox makes them (48 bits of milliseconds, 80 random bits, Crockford base32), so new rows sort last. */
function taskId(now: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  for (let index = 5, time = now; index >= 0; index -= 1, time = Math.floor(time / 256)) bytes[index] = time % 256;
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    for (; bits >= 5; bits -= 5) out += ALPHABET[(value >> (bits - 5)) & 31];
  }
  return `tsk_${out}${bits > 0 ? ALPHABET[(value << (5 - bits)) & 31] : ""}`;
}

type TaskRow = {
  id: string;
  org_id: string;
  project_id: string | null;
  title: string;
  description: string;
  status: string;
  priority: string;
  assignee_id: string | null;
  reporter_id: string | null;
  due_at: number | null;
  estimate_minutes: number | null;
  labels: string;
  position: number;
  completed_at: number | null;
  last_activity_at: number;
  created_at: number;
  updated_at: number;
};
type KeyRow = { org_id: string; user_id: string; secret_hash: Uint8Array; expires_at: number | null };
type NewTask = { title: string; priority?: string; assigneeId?: string; projectId?: string; labels?: string[] };

/** The floor's app over the database at `path`; `close` closes the database. */
export function floorApp(path: string): { app: Hono; close: () => void } {
  const db = new Database(path, { readwrite: true, strict: true });
  db.run("PRAGMA busy_timeout = 5000");
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA synchronous = FULL");
  db.run("PRAGMA foreign_keys = ON");
  db.run("PRAGMA cache_size = -65536");

  const keyByPrefix = db.prepare<KeyRow, [string]>(
    "select org_id, user_id, secret_hash, expires_at from api_keys where prefix = ? and revoked_at is null",
  );
  const page = db.prepare<TaskRow, [string, string, string, number]>(
    "select * from tasks where org_id = ? and assignee_id = ? and status = ? order by id desc limit ?",
  );
  const insert = db.prepare<TaskRow, Record<string, string | number | null>>(
    `insert into tasks (id, org_id, project_id, title, description, status, priority, assignee_id, reporter_id,
       labels, position, last_activity_at, created_at, updated_at)
     values ($id, $orgId, $projectId, $title, '', 'todo', $priority, $assigneeId, $userId,
       $labels, $position, $now, $now, $now) returning *`,
  );

  // What Opsbox writes besides the task (the "recorded" creation): its project checked, a
  // "created" history row and a task.created event, each task in a savepoint of its own.
  const openProject = db.prepare<{ status: string }, [string, string]>(
    "select status from projects where org_id = ? and id = ?",
  );
  const insertChange = db.prepare<never, Record<string, string | number | null>>(
    `insert into task_changes (id, org_id, task_id, actor_id, field, from_value, to_value, created_at)
     values ($changeId, $orgId, $id, $userId, 'created', null, $created, $now)`,
  );
  const insertEvent = db.prepare<{ seq: number }, Record<string, string | number | null>>(
    `insert into domain_events (org_id, type, subject_type, subject_id, actor_id, permission, audience, summary, data, created_at)
     values ($orgId, 'task.created', 'task', $id, $userId, 'workspace.read', $audience, $summary, $created, $now) returning seq`,
  );
  const recordedInsert = db.transaction((values: Record<string, string | number | null>): TaskRow | null => {
    if (
      typeof values.projectId === "string" &&
      openProject.get(String(values.orgId), values.projectId)?.status !== "active"
    ) {
      throw new Error("no such open project");
    }
    const row = insert.get(values);
    if (!row) return null;
    const created = JSON.stringify({
      title: row.title,
      status: row.status,
      assigneeId: row.assignee_id,
      projectId: row.project_id,
    });
    insertChange.run({ ...values, changeId: taskId(Number(values.now)).replace("tsk_", "chg_"), created });
    insertEvent.get({
      ...values,
      created,
      audience: JSON.stringify([row.assignee_id]),
      summary: `Someone created “${row.title}”`,
    });
    return row;
  });

  type Queued = {
    values: Record<string, string | number | null>;
    recorded: boolean;
    settle: (row: TaskRow | Error) => void;
  };
  let queued: Queued[] = [];

  /** Inserts the row; resolves once the commit it shares with the other inserts of this turn is on disk. */
  function insertDurably(values: Record<string, string | number | null>, recorded = false): Promise<TaskRow> {
    return new Promise((resolve, reject) => {
      if (queued.length === 0) setImmediate(commitQueued);
      queued.push({ values, recorded, settle: (row) => (row instanceof Error ? reject(row) : resolve(row)) });
    });
  }

  function commitQueued(): void {
    const batch = queued;
    queued = [];
    try {
      const rows = db.transaction(() =>
        batch.map(({ values, recorded }) => (recorded ? recordedInsert(values) : insert.get(values))),
      )();
      batch.forEach(({ settle }, index) => {
        settle(rows[index] ?? new Error("not inserted"));
      });
    } catch (error) {
      for (const { settle } of batch) settle(error instanceof Error ? error : new Error(String(error)));
    }
  }

  function caller(authorization: string | undefined): KeyRow | null {
    const match = /^Bearer (obx_[a-z2-9]{8})_([a-z2-9]{32})$/.exec(authorization ?? "");
    if (!match?.[1] || !match[2]) return null;
    const key = keyByPrefix.get(match[1]);
    if (!key) return null;
    const hash = new Bun.CryptoHasher("sha256").update(match[2]).digest();
    if (!timingSafeEqual(hash, key.secret_hash)) return null;
    return key.expires_at !== null && key.expires_at <= Date.now() ? null : key;
  }

  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

  function taskJson(row: TaskRow) {
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      status: row.status,
      priority: row.priority,
      projectId: row.project_id,
      assigneeId: row.assignee_id,
      reporterId: row.reporter_id,
      dueAt: iso(row.due_at),
      estimateMinutes: row.estimate_minutes,
      labels: JSON.parse(row.labels) as string[],
      position: row.position,
      completedAt: iso(row.completed_at),
      lastActivityAt: iso(row.last_activity_at),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
  }

  const app = new Hono()
    .get("/readyz", (c) => c.text("ok"))
    .get("/api/v1/tasks", (c) => {
      const key = caller(c.req.header("Authorization"));
      if (!key) return c.json({ error: { code: "unauthenticated" } }, 401);
      const limit = Number(c.req.query("limit") ?? 50);
      const rows = page.all(key.org_id, c.req.query("assigneeId") ?? "", c.req.query("status") ?? "todo", limit + 1);
      const last = rows.length > limit ? rows[limit - 1] : undefined;
      return c.json({
        data: rows.slice(0, limit).map(taskJson),
        nextCursor: last ? Buffer.from(JSON.stringify([last.id])).toString("base64url") : null,
      });
    })
    // ?recorded: the same writes as Opsbox's creation (see recordedInsert), not only the task.
    // ?each: the task alone, committed on its own before the answer (no shared commit).
    .post("/api/v1/tasks", async (c) => {
      const key = caller(c.req.header("Authorization"));
      if (!key) return c.json({ error: { code: "unauthenticated" } }, 401);
      const input = (await c.req.json()) as NewTask;
      const now = Date.now();
      const values = {
        id: taskId(now),
        orgId: key.org_id,
        projectId: input.projectId ?? null,
        title: input.title,
        priority: input.priority ?? "medium",
        assigneeId: input.assigneeId ?? null,
        userId: key.user_id,
        labels: JSON.stringify(input.labels ?? []),
        position: -now,
        now,
      };
      const row =
        c.req.query("each") !== undefined
          ? insert.get(values)
          : await insertDurably(values, c.req.query("recorded") !== undefined);
      if (!row) return c.json({ error: { code: "not_inserted" } }, 500);
      return c.json(taskJson(row), 201);
    });

  return { app, close: () => db.close() };
}

if (import.meta.main) {
  const floor = floorApp(process.env.FLOOR_DB ?? "floor.db");
  const server = Bun.serve({ hostname: "127.0.0.1", port: Number(process.env.PORT ?? 0), fetch: floor.app.fetch });
  process.on("SIGTERM", () => {
    server.stop();
    floor.close();
    process.exit(0);
  });
}
