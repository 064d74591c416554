/**
 * Libraries that only some boxes need are loaded on first use, not at start (issue 13's memory
 * and start goals: each costs 10–20 MB resident and tens of milliseconds): a box started with
 * nothing configured must not have loaded them. Read in a fresh process, from its module registry.
 */
import { expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "./testing/harness.ts";

const FIRST_USE = ["imapflow", "nodemailer", "smtp-server", "age-encryption", "pdf-lib", "node-llama-cpp", "unpdf"];

test("a started box has loaded none of the libraries it only needs on first use", async () => {
  const dataDir = makeTempDir("opsbox-startup-libraries-");
  try {
    const child = Bun.spawn(
      [
        process.execPath,
        "-e",
        `const { main } = await import(${JSON.stringify(join(import.meta.dir, "main.ts"))});
         await main();
         const packages = new Set(Object.keys(require.cache).map((path) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(path)?.[1]).filter(Boolean));
         console.log(JSON.stringify([...packages]));
         process.exit(0);`,
      ],
      {
        env: { ...process.env, OPSBOX_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", OPSBOX_LOG_LEVEL: "warn" },
        stdout: "pipe",
        stderr: "pipe",
      },
    );
    const [out, err, code] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    expect({ code, err: code === 0 ? "" : err }).toEqual({ code: 0, err: "" });
    const loaded = JSON.parse(out.trim().split("\n").at(-1) ?? "[]") as string[];
    // The listing works: what every request needs is there.
    expect(loaded).toContain("hono");
    expect(loaded.filter((name) => FIRST_USE.includes(name))).toEqual([]);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 30_000);
