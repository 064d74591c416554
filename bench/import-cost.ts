/**
 * What each module costs to load: for every module that server/main.ts and server/app.ts import
 * (and a few libraries), a fresh `bun` first loads a shared base (hono, zod, drizzle, pino), then
 * the module, and reports what it added: resident memory and JavaScript heap after a full
 * collection, and CPU time. Modules share dependencies, so the figures overlap: each is what
 * loading that module alone on top of the base costs. Medians of --runs processes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { median } from "./report.ts";

const REPO = join(import.meta.dir, "..");
const BASE = ["hono", "zod", "drizzle-orm", "drizzle-orm/bun-sqlite", "pino"];
const LIBRARIES = ["markdown-it", "entities", "postal-mime", "arctic", "@fastify/busboy", "qrcode", "unpdf", "croner"];

type Cost = { module: string; rssMb: number; heapMb: number; cpuMs: number };

/** Runs in the child: loads the base, then one module, and prints its cost as JSON. */
async function measureOne(specifier: string): Promise<void> {
  const { heapStats } = await import("bun:jsc");
  for (const base of BASE) await import(base);
  const settle = async () => {
    Bun.gc(true);
    await Bun.sleep(100);
    Bun.gc(true);
  };
  await settle();
  const rss = process.memoryUsage().rss;
  const heap = heapStats().heapSize;
  const cpu = process.cpuUsage();
  await import(specifier);
  const used = process.cpuUsage(cpu);
  await settle();
  const cost: Cost = {
    module: specifier,
    rssMb: (process.memoryUsage().rss - rss) / 2 ** 20,
    heapMb: (heapStats().heapSize - heap) / 2 ** 20,
    cpuMs: (used.user + used.system) / 1000,
  };
  console.log(JSON.stringify(cost));
}

function importsOf(file: string): string[] {
  const source = readFileSync(join(REPO, file), "utf8");
  return [...source.matchAll(/^import (?!type )[^;]*?from "(\.[^"]+)";$|^import "(\.[^"]+)";$/gms)].map((match) =>
    join(REPO, "server", match[1] ?? match[2] ?? ""),
  );
}

async function measureAll(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      only: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const modules = flags.only
    ? flags.only.split(",")
    : [
        ...new Set([
          ...importsOf("server/main.ts"),
          ...importsOf("server/app.ts"),
          ...importsOf("server/routes.ts"),
          ...LIBRARIES,
        ]),
      ];
  const runs = Number(flags.runs);
  const rows: Cost[] = [];
  for (const module of modules) {
    const samples: Cost[] = [];
    for (let run = 0; run < runs; run++) {
      const child = Bun.spawnSync([process.execPath, import.meta.path, "--child", module], { cwd: REPO });
      const line = child.stdout.toString().trim().split("\n").at(-1) ?? "";
      if (child.exitCode !== 0 || !line.startsWith("{")) {
        process.stderr.write(`bench: ${module} failed: ${child.stderr.toString().slice(-500)}\n`);
        break;
      }
      samples.push(JSON.parse(line) as Cost);
    }
    if (samples.length === 0) continue;
    rows.push({
      module: module.replace(`${REPO}/`, ""),
      rssMb: median(samples.map((sample) => sample.rssMb)),
      heapMb: median(samples.map((sample) => sample.heapMb)),
      cpuMs: median(samples.map((sample) => sample.cpuMs)),
    });
  }
  rows.sort((a, b) => b.rssMb - a.rssMb);
  if (flags.json) console.log(JSON.stringify(rows, null, 2));
  else
    for (const row of rows)
      console.log(
        `${row.module.padEnd(44)} RSS +${row.rssMb.toFixed(1).padStart(5)} MB  heap +${row.heapMb.toFixed(2).padStart(5)} MB  CPU ${row.cpuMs.toFixed(0).padStart(4)} ms`,
      );
}

const childAt = process.argv.indexOf("--child");
if (childAt > 0) await measureOne(process.argv[childAt + 1] ?? "");
else await measureAll();
