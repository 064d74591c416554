/** systemd/opsbox.service: what systemd-analyze says of it, and that it fits the rest of the appliance. */
import { describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../server/config.ts";
import { makeTempDir } from "../server/testing/harness.ts";
import { testWith } from "../server/testing/tools.ts";

const REPO = join(import.meta.dir, "..");
const UNIT = join(import.meta.dir, "opsbox.service");
const unitText = readFileSync(UNIT, "utf8");
const MAX_EXPOSURE = 2.5;

/** The values of a key in the unit, in order (a key may repeat). */
function settings(key: string): string[] {
  return [...unitText.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((match) => match[1] ?? "");
}

function setting(key: string): string {
  const values = settings(key);
  expect([key, values.length]).toEqual([key, 1]);
  return values[0] ?? "";
}

describe("opsbox.service", () => {
  testWith("systemd-analyze", "systemd-analyze verify accepts it without a warning", () => {
    // verify wants the commands to exist: a copy whose /opt/opsbox is a staged tree.
    const stage = makeTempDir("opsbox-unit-");
    const app = join(stage, "opt", "opsbox");
    mkdirSync(join(app, "runtime", "node_modules", ".bin"), { recursive: true });
    mkdirSync(join(app, "appliance"));
    writeFileSync(join(app, "runtime", "node_modules", ".bin", "bun"), "#!/bin/sh\n");
    chmodSync(join(app, "runtime", "node_modules", ".bin", "bun"), 0o755);
    copyFileSync(join(REPO, "appliance", "wait-ready.sh"), join(app, "appliance", "wait-ready.sh"));
    const staged = join(stage, "opsbox.service");
    writeFileSync(staged, unitText.replaceAll("/opt/opsbox", app));

    const result = Bun.spawnSync(["systemd-analyze", "verify", "--man=no", staged]);
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.exitCode).toBe(0);
  });

  testWith("systemd-analyze", `its exposure (systemd-analyze security) is at most ${MAX_EXPOSURE}`, () => {
    const result = Bun.spawnSync(["systemd-analyze", "security", "--offline=true", "--no-pager", UNIT]);
    const output = result.stdout.toString();
    const exposure = Number(output.match(/Overall exposure level for opsbox\.service: ([\d.]+)/)?.[1]);
    expect(exposure).toBeLessThanOrEqual(MAX_EXPOSURE);
  });

  test("its stop timeout leaves room for the drain deadline, the stop hooks and Litestream's last sync", () => {
    const { shutdownTimeoutMs } = loadConfig({ OPSBOX_DATA_DIR: makeTempDir("opsbox-unit-config-") });
    expect(Number(setting("TimeoutStopSec")) * 1000).toBeGreaterThanOrEqual(shutdownTimeoutMs + 20_000);
    // SIGTERM to Opsbox alone: it stops its own children (Litestream) after a final sync.
    expect(setting("KillMode")).toBe("mixed");
  });

  test("it writes only to the appliance's data directory and runs the Bun that install.sh installs", () => {
    const envFile = readFileSync(join(REPO, "appliance", "opsbox.env"), "utf8");
    const dataDir = envFile.match(/^OPSBOX_DATA_DIR=(.*)$/m)?.[1];
    expect(setting("ReadWritePaths")).toBe(dataDir ?? "");
    expect(setting("StateDirectory")).toBe("opsbox");
    expect(setting("ProtectSystem")).toBe("strict");
    expect(setting("ExecStart")).toBe("/opt/opsbox/runtime/node_modules/.bin/bun scripts/start.ts");
    expect(readFileSync(join(REPO, "appliance", "install.sh"), "utf8")).toContain(
      'sys npm install --prefix "$dir/runtime"',
    );
  });

  test("it leaves Bun's JIT writable and executable memory, and the sockets Opsbox and Litestream use", () => {
    expect(setting("MemoryDenyWriteExecute")).toBe("no");
    expect(setting("RestrictAddressFamilies")).toBe("AF_UNIX AF_INET AF_INET6");
    expect(settings("SystemCallFilter")).toEqual(["@system-service", "~@privileged"]);
    expect(setting("CapabilityBoundingSet")).toBe("");
  });
});
