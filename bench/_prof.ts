import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const dir = mkdtempSync(join(tmpdir(), "prof-"));
process.env.OPSBOX_DATA_DIR = dir;
const { seedWorkspace } = await import("./seed-workspace.ts");
const creds = await seedWorkspace(100000);
const { startServer } = await import("../server/main.ts");
const { createLogger } = await import("../server/http/logger.ts");
const running = await startServer({ env: { PORT: "0", OPSBOX_DATA_DIR: dir, OPSBOX_LOG_LEVEL: "info", OPSBOX_API_KEY_REQUESTS_PER_MINUTE: "100000000" }, log: createLogger("info", { write: () => {} }), extend: (app) => { app.get("/api/v1/_noop", (c) => c.json({})); app.get("/_noop", (c) => c.json({})); } });
{
  const { listTasks } = await import("../server/work/tasks/list.ts");
  const { taskListQuery } = await import("../server/work/tasks/schemas.ts");
  const { taskJson } = await import("../server/work/tasks/service.ts");
  const q = taskListQuery.parse({ status: "todo", assigneeId: creds.userId, limit: "20" });
  const ctx = { db: running.deps.db, orgId: creds.orgId, userId: creds.userId };
  for (let i = 0; i < 300; i++) listTasks(ctx, q);
  let t = performance.now();
  for (let i = 0; i < 3000; i++) listTasks(ctx, q);
  console.log("listTasks in server db", ((performance.now() - t) / 3).toFixed(1), "µs");
  const page = listTasks(ctx, q);
  t = performance.now();
  for (let i = 0; i < 3000; i++) JSON.stringify({ data: page.data.map(taskJson), nextCursor: page.nextCursor });
  console.log("json", ((performance.now() - t) / 3).toFixed(1), "µs", page.data.length);
  t = performance.now();
  for (let i = 0; i < 3000; i++) taskListQuery.parse({ status: "todo", assigneeId: creds.userId, limit: "20" });
  const big = Array.from({ length: 2000 }, (_, i) => ({ i, s: "x".repeat(50) + i }));
  let inLoop = 0;
  for (let i = 0; i < 3000; i++) {
    JSON.stringify(big);
    const t1 = performance.now();
    listTasks(ctx, q);
    inLoop += performance.now() - t1;
  }
  console.log("listTasks between other work", (inLoop / 3).toFixed(1), "µs");
  console.log("zod", ((performance.now() - t) / 3).toFixed(1), "µs");
}
const mode = process.argv[2] ?? "api";
const N = Number(process.argv[3] ?? 3000);
const req = () =>
  mode === "api"
    ? new Request(`http://localhost/api/v1/tasks?status=todo&assigneeId=${creds.userId}&limit=20`, { headers: { Authorization: `Bearer ${creds.apiKey}` } })
    : mode === "console"
      ? new Request(`http://localhost/tasks?status=todo&assigneeId=${creds.userId}`, { headers: { Cookie: creds.sessionCookie } })
      : mode === "noop" ? new Request("http://localhost/api/v1/_noop", { headers: { Authorization: `Bearer ${creds.apiKey}` } })
      : mode === "anon" ? new Request("http://localhost/_noop")
      : mode === "healthz" ? new Request("http://localhost/healthz")
      : new Request("http://localhost/api/v1/tasks", { method: "POST", headers: { Authorization: `Bearer ${creds.apiKey}`, "Content-Type": "application/json" }, body: JSON.stringify({ title: "Bench", priority: "high", assigneeId: creds.userId }) });
for (let i = 0; i < 200; i++) await (await running.app.fetch(req())).text();
const t0 = performance.now();
let status = 0;
for (let i = 0; i < N; i++) { const r = await running.app.fetch(req()); status = r.status; await r.text(); }
const ms = performance.now() - t0;
console.log(mode, "status", status, "per request", (ms / N).toFixed(3), "ms", "=>", Math.round(N / (ms / 1000)), "req/s single thread");
await running.stop("done");
process.exit(0);
