import { runCli } from "./cli.ts";
import { type ServerProcess, spawnServer, testEnv } from "./harness.ts";

/**
 * A box run as its own process, for drills that kill it or fill its disk: set up and given an
 * API key through the real `opsbox` CLI, then started as systemd would start it.
 */

const ADMIN_EMAIL = "admin@example.com";

/** `opsbox setup --quick` and `opsbox api-keys create`: an admin's API key for the box in `dataDir`. */
export async function setUpSpawnedBox(dataDir: string): Promise<string> {
  const env = { OPSBOX_DATA_DIR: dataDir };
  const setup = await runCli(["setup", "--quick", "--email", ADMIN_EMAIL], env);
  if (setup.code !== 0) throw new Error(`opsbox setup failed: ${setup.stderr}`);
  const key = await runCli(["api-keys", "create", "--email", ADMIN_EMAIL, "--name", "drill"], env);
  if (key.code !== 0) throw new Error(`opsbox api-keys create failed: ${key.stderr}`);
  return key.stdout.trim();
}

export type SpawnedBox = ServerProcess & {
  /** fetch() as the admin's API key. */
  api: (path: string, init?: RequestInit) => Promise<Response>;
  alive: () => boolean;
};

/** Starts `bun server/main.ts` on the data directory with the admin's API key at hand. */
export async function startSpawnedBox(
  dataDir: string,
  apiKey: string,
  env: Record<string, string> = {},
): Promise<SpawnedBox> {
  const server = await spawnServer(testEnv(dataDir, { OPSBOX_API_KEY_REQUESTS_PER_MINUTE: "100000", ...env }));
  return {
    ...server,
    api: (path, init = {}) =>
      fetch(new URL(path, server.url), {
        ...init,
        headers: { Authorization: `Bearer ${apiKey}`, ...(init.headers as Record<string, string> | undefined) },
      }),
    alive: () => server.proc.exitCode === null && server.proc.signalCode === null,
  };
}

/** POST /api/v1/documents with `bytes` as a text file. */
export function uploadText(box: SpawnedBox, bytes: Uint8Array, fileName: string): Promise<Response> {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], fileName, { type: "text/plain" }));
  return box.api("/api/v1/documents", { method: "POST", body: form });
}

/** Lines of printable text, different for every seed: a document the sniffer takes as plain text. */
export function textDocument(sizeBytes: number, seed: string): Uint8Array<ArrayBuffer> {
  const line = `${seed} ${crypto.randomUUID()} pump manual line for the disk drill\n`;
  const lines: string[] = [];
  let size = 0;
  let n = 0;
  while (size < sizeBytes) {
    const next = `${n} ${line}`;
    lines.push(next);
    size += next.length;
    n += 1;
  }
  return new TextEncoder().encode(lines.join("").slice(0, sizeBytes));
}

export function sha256Hex(bytes: Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
}
