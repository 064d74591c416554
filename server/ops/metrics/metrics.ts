import { Counter, collectDefaultMetrics, Registry } from "prom-client";
import type { BackupStatus } from "../backup-status.ts";
import { BackupGauges } from "./backup-gauges.ts";
import { type BoxSources, registerBoxGauges } from "./box-gauges.ts";
import { HttpRequestMetrics } from "./http-requests.ts";

let processRegistry: Registry | null = null;

/**
 * prom-client's process metrics (memory, CPU, event-loop lag, GC), once per process: they
 * watch the process, not a box, and each collector adds observers that are never removed.
 * Started with the first box, so the event-loop figures cover the time before the first scrape.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** A box's metrics (AppDeps.metrics): what requests and jobs record, and the text of /metrics. */
export type Metrics = {
  /** One finished HTTP request, by its matched route pattern (request-log.ts calls it). */
  observeRequest: (method: string, route: string, status: number, seconds: number) => void;
  /**
   * Counts one finished run of a timed job or agent in `opsbox_job_runs_total{job, status}`:
   * `job` is its stable id (`ops.self_check`, an agent's id), `status` how the run ended
   * (`succeeded`, `failed`, …). The scheduler calls it once per run.
   */
  countJobRun: (job: string, status: string) => void;
  /** Everything, in the Prometheus text format. */
  render: () => Promise<string>;
  contentType: string;
};

export function createMetrics(sources: BoxSources & { backupStatus: BackupStatus }): Metrics {
  const process = processMetrics();
  const registry = new Registry();
  const requests = new HttpRequestMetrics(registry);
  const jobRuns = new Counter({
    name: "opsbox_job_runs_total",
    help: "Finished runs of timed jobs and agents, by job id and how they ended.",
    labelNames: ["job", "status"],
    registers: [registry],
  });
  registerBoxGauges(registry, sources);
  const backup = new BackupGauges();
  return {
    observeRequest: (method, route, status, seconds) => requests.observe(method, route, status, seconds),
    countJobRun: (job, status) => jobRuns.inc({ job, status }),
    contentType: registry.contentType,
    async render() {
      const report = readOrNull(sources.backupStatus);
      const parts = [await process.metrics(), await registry.metrics()];
      if (report) parts.push(await backup.render(report));
      return parts.join("\n");
    },
  };
}

/** A provider that throws shows no backup series here; the self-check reports its error. */
function readOrNull(status: BackupStatus) {
  try {
    return status.read();
  } catch {
    return null;
  }
}
