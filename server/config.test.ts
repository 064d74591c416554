import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync, rmSync, statfsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, configVariables, loadConfig, SECRET_KEY_FILE } from "./config.ts";
import { makeTempDir, spawnServer } from "./testing/harness.ts";

const dirs: string[] = [];
function dataDir(): string {
  const dir = makeTempDir("opsbox-config-");
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configError(env: Record<string, string>): string {
  try {
    loadConfig({ OPSBOX_DATA_DIR: dataDir(), ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  test("uses the documented defaults", () => {
    const dir = dataDir();
    const config = loadConfig({ OPSBOX_DATA_DIR: dir });
    expect(config.port).toBe(3000);
    expect(config.host).toBe("127.0.0.1");
    expect(config.baseUrl).toBe("http://localhost:3000");
    expect(config.logLevel).toBe("info");
    expect(config.dataDir).toBe(dir);
    expect(config.maxBodyBytes).toBe(1024 * 1024);
    expect(config.shutdownTimeoutMs).toBe(10_000);
  });

  test("OPSBOX_MIN_FREE_DISK_MB unset is 256 MB or 5% of the data directory's disk, whichever is smaller", () => {
    const dir = dataDir();
    const stats = statfsSync(dir);
    const fivePercent = Math.floor(Number(stats.blocks) * Number(stats.bsize) * 0.05);
    expect(loadConfig({ OPSBOX_DATA_DIR: dir }).minFreeDiskBytes).toBe(Math.min(256 * 1024 * 1024, fivePercent));
    expect(loadConfig({ OPSBOX_DATA_DIR: dir, OPSBOX_MIN_FREE_DISK_MB: "0" }).minFreeDiskBytes).toBe(0);
  });

  test("defaults the data directory to ./data", () => {
    const cwd = process.cwd();
    const dir = dataDir();
    process.chdir(dir);
    try {
      expect(loadConfig({}).dataDir).toBe(join(dir, "data"));
    } finally {
      process.chdir(cwd);
    }
  });

  test("reads every variable and trims a trailing slash from the base URL", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "0.0.0.0",
      OPSBOX_DATA_DIR: dataDir(),
      OPSBOX_BASE_URL: "https://ops.example.com/",
      OPSBOX_LOG_LEVEL: "warn",
      OPSBOX_MAX_BODY_BYTES: "2048",
      OPSBOX_SHUTDOWN_TIMEOUT_MS: "3000",
      OPSBOX_MIN_FREE_DISK_MB: "10",
      OPSBOX_API_KEY_REQUESTS_PER_MINUTE: "6000",
    });
    expect(config).toMatchObject({
      port: 8080,
      host: "0.0.0.0",
      baseUrl: "https://ops.example.com",
      logLevel: "warn",
      maxBodyBytes: 2048,
      shutdownTimeoutMs: 3000,
      minFreeDiskBytes: 10 * 1024 * 1024,
      apiKeyRequestsPerMinute: 6000,
    });
  });

  test.each([
    [{ PORT: "abc" }, 'PORT: must be a whole number (got "abc")'],
    [{ PORT: "70000" }, "PORT: must be between 0 and 65535"],
    [{ OPSBOX_LOG_LEVEL: "loud" }, "OPSBOX_LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal, silent"],
    [{ OPSBOX_BASE_URL: "ftp://box" }, "OPSBOX_BASE_URL: must be an http:// or https:// URL"],
    [{ OPSBOX_MAX_BODY_BYTES: "-1" }, "OPSBOX_MAX_BODY_BYTES: must be a positive number of bytes"],
  ])("refuses %o naming the variable", (env, expected) => {
    expect(configError(env)).toStartWith(expected);
  });

  test("trusts no proxy by default and reads OPSBOX_TRUSTED_PROXIES as addresses and CIDR ranges", () => {
    expect(loadConfig({ OPSBOX_DATA_DIR: dataDir() }).trustedProxies).toEqual([]);
    const config = loadConfig({
      OPSBOX_DATA_DIR: dataDir(),
      OPSBOX_TRUSTED_PROXIES: "127.0.0.1, ::1,10.0.0.0/8,fd00::/8",
    });
    expect(config.trustedProxies).toEqual(["127.0.0.1/32", "::1/128", "10.0.0.0/8", "fd00::/8"]);
  });

  test.each(["localhost", "10.0.0.0/33", "127.0.0.1/8/8", "::1/129", "10.0.0.0/x"])(
    "refuses OPSBOX_TRUSTED_PROXIES=%s naming the variable",
    (value) => {
      expect(configError({ OPSBOX_TRUSTED_PROXIES: value })).toStartWith(
        "OPSBOX_TRUSTED_PROXIES: must be a comma-separated list of IP addresses or CIDR ranges",
      );
    },
  );

  test("the old OPSBOX_TRUST_PROXY is refused unless it says never, which is now the default", () => {
    expect(loadConfig({ OPSBOX_DATA_DIR: dataDir(), OPSBOX_TRUST_PROXY: "never" }).trustedProxies).toEqual([]);
    for (const value of ["loopback", "always"]) {
      expect(configError({ OPSBOX_TRUST_PROXY: value })).toStartWith(
        "OPSBOX_TRUST_PROXY: was replaced by OPSBOX_TRUSTED_PROXIES",
      );
    }
  });

  test("refuses a short secret key without echoing it", () => {
    const message = configError({ OPSBOX_SECRET_KEY: "tooshortsecret" });
    expect(message).toStartWith("OPSBOX_SECRET_KEY: must be at least 32 random bytes");
    expect(message).not.toContain("tooshortsecret");
  });

  test("accepts a secret key in hex or base64", () => {
    const hex = "ab".repeat(32);
    expect(loadConfig({ OPSBOX_DATA_DIR: dataDir(), OPSBOX_SECRET_KEY: hex }).secretKey).toEqual(
      new Uint8Array(Buffer.from(hex, "hex")),
    );
    const b64 = Buffer.alloc(32, 7).toString("base64");
    expect(loadConfig({ OPSBOX_DATA_DIR: dataDir(), OPSBOX_SECRET_KEY: b64 }).secretKeySource).toBe("environment");
  });

  test("generates a secret key file with mode 0600 on first start and reuses it", () => {
    const dir = dataDir();
    const first = loadConfig({ OPSBOX_DATA_DIR: dir });
    const path = join(dir, SECRET_KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first.secretKey.length).toBe(32);
    expect(first.secretKeySource).toBe("file");
    const second = loadConfig({ OPSBOX_DATA_DIR: dir });
    expect(Buffer.from(second.secretKey).equals(Buffer.from(first.secretKey))).toBe(true);
    expect(readFileSync(path, "utf8").trim().length).toBeGreaterThan(40);
  });

  test("refuses a data directory that is a file", () => {
    const file = join(dataDir(), "not-a-dir");
    writeFileSync(file, "x");
    expect(configError({ OPSBOX_DATA_DIR: file })).toStartWith(`OPSBOX_DATA_DIR: cannot use ${file}`);
  });
});

describe("the process with a bad setting", () => {
  test("exits 1 with one line naming the variable", async () => {
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "main.ts")], {
      env: { PATH: process.env.PATH ?? "", OPSBOX_DATA_DIR: dataDir(), PORT: "not-a-port" },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(1);
    const stderr = await new Response(proc.stderr).text();
    expect(stderr).toBe('opsbox: PORT: must be a whole number (got "not-a-port")\n');
  });

  test("starts and renders pages when launched from another working directory (as systemd may)", async () => {
    const dir = dataDir();
    const server = await spawnServer({ PORT: "0", OPSBOX_DATA_DIR: dir }, join(import.meta.dir, "main.ts"), dir);
    try {
      const page = await fetch(`${server.url}/setup`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<!doctype html>");
      // The database holds password hashes: readable by Opsbox's own user only.
      expect(statSync(join(dir, "opsbox.db")).mode & 0o777).toBe(0o600);
    } finally {
      server.proc.kill("SIGTERM");
      await server.proc.exited;
    }
  });

  test("starts with a valid configuration", async () => {
    const server = await spawnServer({ PORT: "0", OPSBOX_DATA_DIR: dataDir() });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      server.proc.kill("SIGTERM");
      await server.proc.exited;
    }
  });
});

test("the README documents every configuration variable", async () => {
  const readme = await Bun.file(join(import.meta.dir, "..", "README.md")).text();
  for (const name of configVariables) expect(readme).toContain(`| \`${name}\` |`);
});
