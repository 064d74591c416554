import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "./cli.ts";
import { freePort, makeTempDir } from "./harness.ts";

const CADDYFILE = join(import.meta.dir, "..", "..", "Caddyfile");

export type TestCaddy = {
  /** https://127.0.0.1:<port>, the box's public URL through Caddy. */
  httpsUrl: string;
  /** http://127.0.0.1:<port>, which Caddy redirects to httpsUrl. */
  httpUrl: string;
  /** Caddy's local root certificate (PEM): what a LAN client would be told to trust. */
  rootCa: string;
  /** fetch() through Caddy over https, trusting its root and nothing else. */
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  /** Everything Caddy logged so far (JSON lines on stderr). */
  log: () => string;
  stop: () => Promise<void>;
};

/** Ports for Caddy, picked before it starts because the box's base URL must name them. */
export function caddyPorts(): { https: number; http: number } {
  return { https: freePort(), http: freePort() };
}

/**
 * Runs the repository's Caddyfile with the real caddy, `tls internal`, on 127.0.0.1 only, in
 * front of `upstream` (host:port). Its storage and config live in a temporary directory and its
 * admin endpoint is off, so the system's Caddy and trust store are never touched.
 */
export async function startCaddy(options: {
  upstream: string;
  ports: { https: number; http: number };
}): Promise<TestCaddy> {
  const home = makeTempDir("opsbox-caddy-");
  const proc = Bun.spawn(["caddy", "run", "--config", CADDYFILE, "--adapter", "caddyfile"], {
    cwd: home,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: home,
      XDG_DATA_HOME: join(home, "data"),
      XDG_CONFIG_HOME: join(home, "config"),
      OPSBOX_DOMAIN: "127.0.0.1",
      OPSBOX_TLS: "internal",
      OPSBOX_UPSTREAM: options.upstream,
      OPSBOX_HTTPS_PORT: String(options.ports.https),
      OPSBOX_HTTP_PORT: String(options.ports.http),
      OPSBOX_CADDY_BIND: "127.0.0.1",
      OPSBOX_CADDY_ADMIN: "off",
    },
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  });
  let logged = "";
  const drained = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stderr) logged += decoder.decode(chunk, { stream: true });
  })();
  const stop = async () => {
    proc.kill("SIGTERM");
    await proc.exited;
    await drained;
    rmSync(home, { recursive: true, force: true });
  };
  const httpsUrl = `https://127.0.0.1:${options.ports.https}`;
  const rootPath = join(home, "data", "caddy", "pki", "authorities", "local", "root.crt");
  try {
    const rootCa = await untilServing(proc, httpsUrl, rootPath);
    return {
      httpsUrl,
      httpUrl: `http://127.0.0.1:${options.ports.http}`,
      rootCa,
      fetch: (path, init) => fetch(new URL(path, httpsUrl), { redirect: "manual", tls: { ca: rootCa }, ...init }),
      log: () => logged,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`caddy did not start: ${(error as Error).message}\n${logged}`);
  }
}

/** The JSON config caddy makes of the Caddyfile under `env` (`caddy adapt`), as an operator's box would load it. */
export async function adaptCaddyfile(env: Record<string, string>): Promise<Record<string, unknown>> {
  const home = makeTempDir("opsbox-caddy-adapt-");
  try {
    const { code, stdout, stderr } = await runCommand(
      ["caddy", "adapt", "--config", CADDYFILE, "--adapter", "caddyfile"],
      { HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home, ...env },
      { cwd: home },
    );
    if (code !== 0) throw new Error(`caddy adapt failed: ${stderr}`);
    return JSON.parse(stdout);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Waits (up to 10 s) for Caddy's root certificate and an https answer signed under it. */
async function untilServing(proc: Bun.Subprocess, httpsUrl: string, rootPath: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  let last = "no root certificate yet";
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`caddy exited with ${proc.exitCode}`);
    if (existsSync(rootPath)) {
      const rootCa = readFileSync(rootPath, "utf8");
      try {
        await fetch(new URL("/healthz", httpsUrl), { tls: { ca: rootCa } });
        return rootCa;
      } catch (error) {
        last = (error as Error).message;
      }
    }
    await Bun.sleep(50);
  }
  throw new Error(`no https answer within 10 s (${last})`);
}
