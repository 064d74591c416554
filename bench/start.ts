/**
 * Start-up benchmark: cold start (spawn to the first 200 from /readyz, migrated data directory)
 * and idle RSS of one or more entry scripts, run in turns so that the shared box's swings hit
 * each alike; prints every run and the medians. bench/RESULTS.md records the figures.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { benchWorkDir, fail, progress } from "./cli.ts";
import { median } from "./report.ts";
import { readMemory, startBenchServer } from "./server.ts";

const USAGE = `usage: bun bench/start.ts [options]
  --entries LIST   comma list of scripts bun runs (default server/main.ts,scripts/start.ts)
  --runs N         starts per entry (default 7)
  --idle S         seconds idle before the RSS reading (default 3)
  --json           print the figures as JSON`;

const { values: flags } = (() => {
  try {
    return parseArgs({
      options: {
        entries: { type: "string", default: "server/main.ts,scripts/start.ts" },
        runs: { type: "string", default: "7" },
        idle: { type: "string", default: "3" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
})();
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}

const REPO = join(import.meta.dir, "..");
const entries = (flags.entries ?? "").split(",").filter((entry) => entry !== "");
const runs = Number(flags.runs);
const idleMs = Number(flags.idle) * 1000;
if (!Number.isInteger(runs) || runs < 1) fail("--runs must be a positive whole number");
if (!Number.isFinite(idleMs) || idleMs < 0) fail("--idle must be a number of seconds");

type Run = { readyMs: number; idleRssMb: number };
const workDir = benchWorkDir("opsbox-start-");
const logFile = join(workDir, "server.log");

try {
  const dataDirs = new Map<string, string>();
  for (const [index, entry] of entries.entries()) {
    const dataDir = join(workDir, `data-${index}`);
    mkdirSync(dataDir);
    // A first start migrates the data directory, so that every timed start finds it ready.
    await (await startBenchServer({ dataDir, logLevel: "warn", logFile, entry: resolve(REPO, entry) })).stop();
    dataDirs.set(entry, dataDir);
  }
  const results = new Map<string, Run[]>(entries.map((entry) => [entry, []]));
  for (let round = 1; round <= runs; round++) {
    progress(`round ${round} of ${runs}`);
    for (const entry of entries) {
      const dataDir = dataDirs.get(entry) ?? fail(`no data directory for ${entry}`);
      const server = await startBenchServer({ dataDir, logLevel: "warn", logFile, entry: resolve(REPO, entry) });
      try {
        for (const path of ["/healthz", "/"]) await (await fetch(server.url + path, { redirect: "manual" })).text();
        await Bun.sleep(idleMs);
        const idleRssMb = readMemory(server.pid).rssBytes / 2 ** 20;
        results.get(entry)?.push({ readyMs: server.readyMs, idleRssMb });
      } finally {
        await server.stop();
      }
    }
  }
  const summary = entries.map((entry) => {
    const list = results.get(entry) ?? [];
    return {
      entry,
      readyMs: list.map((run) => Math.round(run.readyMs)),
      idleRssMb: list.map((run) => Math.round(run.idleRssMb * 10) / 10),
      medianReadyMs: Math.round(median(list.map((run) => run.readyMs))),
      medianIdleRssMb: Math.round(median(list.map((run) => run.idleRssMb)) * 10) / 10,
    };
  });
  if (flags.json) console.log(JSON.stringify(summary, null, 2));
  else
    for (const row of summary)
      console.log(
        `${row.entry}: cold start median ${row.medianReadyMs} ms (${row.readyMs.join(", ")}); ` +
          `idle RSS median ${row.medianIdleRssMb} MB (${row.idleRssMb.join(", ")})`,
      );
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
