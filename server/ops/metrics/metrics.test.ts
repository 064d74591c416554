import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { setUpBox } from "../../testing/identity.ts";
import { fetchAsPeer, startInProcessApp } from "../../testing/in-process.ts";
import { rotateMetricsToken } from "./metrics-token.ts";

const REMOTE = "203.0.113.9";

let box: TestApp;
let adminId = "";
beforeAll(async () => {
  box = await startInProcessApp();
  adminId = (await setUpBox(box)).adminId;
});
afterAll(() => box.close());

async function scrape(): Promise<string> {
  const response = await box.fetch("/metrics");
  expect(response.status).toBe(200);
  return response.text();
}

describe("who may read /metrics", () => {
  test("a process on this machine (loopback peer) gets the Prometheus text", async () => {
    const response = await box.fetch("/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toStartWith("text/plain; version=0.0.4");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.text()).toContain("# TYPE opsbox_http_request_duration_seconds histogram");
  });

  test("another machine without a token gets 401 in the API's error shape", async () => {
    const response = await fetchAsPeer(box, REMOTE, "/metrics");
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toContain("Bearer");
    const body = (await response.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe("unauthenticated");
    expect(body.error.requestId).not.toBe("");
  });

  test("a visitor forwarded by the proxy on this machine is not a loopback caller", async () => {
    const response = await box.fetch("/metrics", { headers: { "X-Forwarded-For": "127.0.0.1" } });
    expect(response.status).toBe(401);
  });

  test("another machine with the metrics token gets the metrics; a wrong or replaced token gets 401", async () => {
    const token = rotateMetricsToken(box.deps.db, { userId: adminId });
    const bearer = (value: string) => ({ headers: { Authorization: `Bearer ${value}` } });
    expect((await fetchAsPeer(box, REMOTE, "/metrics", bearer(token))).status).toBe(200);
    const wrong = `${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`;
    expect((await fetchAsPeer(box, REMOTE, "/metrics", bearer(wrong))).status).toBe(401);
    // An API key's shape is not a metrics token, and never reaches authenticate()'s 401 with another message.
    expect((await fetchAsPeer(box, REMOTE, "/metrics", bearer("obx_abcdefgh_x"))).status).toBe(401);
    const next = rotateMetricsToken(box.deps.db, { userId: adminId });
    expect((await fetchAsPeer(box, REMOTE, "/metrics", bearer(token))).status).toBe(401);
    expect((await fetchAsPeer(box, REMOTE, "/metrics", bearer(next))).status).toBe(200);
  });
});

describe("what /metrics shows", () => {
  test("every documented series is there, and no backup series before the backup module registers", async () => {
    const text = await scrape();
    for (const name of [
      "opsbox_http_request_duration_seconds",
      "opsbox_database_size_bytes",
      "opsbox_database_wal_size_bytes",
      "opsbox_ingestion_jobs",
      "opsbox_ai_tokens_per_second",
      "opsbox_ai_requests",
      "opsbox_job_runs_total",
      "process_resident_memory_bytes",
      "nodejs_heap_size_used_bytes",
      "nodejs_eventloop_lag_seconds",
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(/^opsbox_database_size_bytes [1-9]\d*$/m);
    expect(text).toContain('opsbox_ingestion_jobs{status="queued"} 0');
    expect(text).not.toContain("opsbox_replication_lag_seconds");
    expect(text).not.toContain("opsbox_backup_");
  });

  test("requests are labelled by route pattern and status, never by their path", async () => {
    const id = "tsk_01JZZZZZZZZZZZZZZZZZZZZZZZ";
    await box.fetch(`/api/v1/tasks/${id}`);
    await box.fetch(`/no/such/page/${id}`);
    await box.fetch("/healthz");
    const text = await scrape();
    expect(text).not.toContain(id);
    expect(text).toMatch(
      /opsbox_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/tasks\/:id",status="401"\} 1/,
    );
    expect(text).toMatch(
      /opsbox_http_request_duration_seconds_count\{method="GET",route="\(unmatched\)",status="404"\} \d+/,
    );
    expect(text).toMatch(
      /opsbox_http_request_duration_seconds_bucket\{le="0.001",method="GET",route="\/healthz",status="200"\} \d+/,
    );
  });

  test("a method no route knows counts as other, so clients cannot add series", async () => {
    // Bun's Request turns an unknown method into GET, so the recorder is called as requestLog would.
    box.deps.metrics.observeRequest("BREW", "/healthz", 405, 0.001);
    const text = await scrape();
    expect(text).toContain('_count{method="other",route="/healthz",status="405"} 1');
    expect(text).not.toContain("BREW");
  });

  test("a backup provider's report appears while it is registered, and goes again with it", async () => {
    const at = new Date("2025-03-01T10:00:00Z");
    const unregister = box.deps.backupStatus.register(() => ({
      replicas: [
        { name: "s3", lagSeconds: 1.5 },
        { name: "directory", lagSeconds: null },
      ],
      replicatorRunning: true,
      lastBackup: { at, ok: true },
      lastRestoreTest: { at, ok: false, message: "checksum mismatch" },
    }));
    const text = await scrape();
    unregister();
    expect(text).toContain('opsbox_replication_lag_seconds{replica="s3"} 1.5');
    expect(text).not.toContain('replica="directory"');
    expect(text).toContain("opsbox_backup_replicator_up 1");
    expect(text).toContain('opsbox_backup_last_success{kind="snapshot"} 1');
    expect(text).toContain('opsbox_backup_last_success{kind="restore_test"} 0');
    expect(text).toContain(`opsbox_backup_last_timestamp_seconds{kind="snapshot"} ${at.getTime() / 1000}`);
    // No count of waiting files in that report: no series, rather than a 0 that reads as "all copied".
    expect(text).not.toContain("opsbox_backup_files_waiting");
    expect(await scrape()).not.toContain("opsbox_backup_");
  });

  test("the uploaded files waiting to be copied show while the report counts them", async () => {
    const unregister = box.deps.backupStatus.register(() => ({
      replicas: [{ name: "directory", lagSeconds: 0 }],
      replicatorRunning: true,
      lastBackup: null,
      lastRestoreTest: null,
      filesWaiting: 3,
    }));
    const text = await scrape();
    unregister();
    expect(text).toContain("opsbox_backup_files_waiting 3");
  });

  test("a job run counted by a scheduler shows by job and status", async () => {
    box.deps.metrics.countJobRun("agents.stuck_tasks", "failed");
    expect(await scrape()).toContain('opsbox_job_runs_total{job="agents.stuck_tasks",status="failed"} 1');
  });
});
