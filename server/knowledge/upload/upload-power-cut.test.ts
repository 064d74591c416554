import { afterAll, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "../../testing/harness.ts";
import {
  type SpawnedBox,
  setUpSpawnedBox,
  sha256Hex,
  startSpawnedBox,
  textDocument,
  uploadText,
} from "../../testing/spawned-box.ts";

/**
 * The power-cut drill for uploads: the server process is killed with SIGKILL at a random
 * moment right after it answered 202, while other uploads are in flight. Whatever it
 * acknowledged must be whole after the restart.
 */

const dataDir = makeTempDir("opsbox-power-cut-");
let box: SpawnedBox | null = null;
afterAll(() => {
  box?.proc.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

const ROUNDS = 5;
const UPLOADS_PER_ROUND = 4;

type Acked = { id: string; sha256: string; size: number };

test("kill -9 right after a 202, at random moments: on restart every acknowledged upload is whole and matches its hash", async () => {
  const apiKey = await setUpSpawnedBox(dataDir);
  const acked: Acked[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const running = await startSpawnedBox(dataDir, apiKey);
    box = running;
    let killed = false;
    const cut = async () => {
      if (killed) return;
      killed = true;
      await Bun.sleep(Math.floor(Math.random() * 15));
      running.proc.kill("SIGKILL");
    };
    const send = async (n: number) => {
      const bytes = textDocument(128 * 1024 + Math.floor(Math.random() * 768 * 1024), `round ${round}.${n}`);
      try {
        const response = await uploadText(running, bytes, `round-${round}-${n}.txt`);
        if (response.status !== 202) throw new Error(`upload answered ${response.status}`);
        const document = (await response.json()) as { id: string };
        acked.push({ id: document.id, sha256: sha256Hex(bytes), size: bytes.byteLength });
        await cut();
      } catch (error) {
        // Cut off by the kill: never acknowledged, so nothing is owed.
        if (!killed) throw error;
      }
    };
    await Promise.all(Array.from({ length: UPLOADS_PER_ROUND }, (_, n) => send(n)));
    await running.proc.exited;
  }
  expect(acked.length).toBeGreaterThanOrEqual(ROUNDS);

  box = await startSpawnedBox(dataDir, apiKey);
  for (const upload of acked) {
    const document = await box.api(`/api/v1/documents/${upload.id}`);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { sha256: string }).sha256).toBe(upload.sha256);
    const stored = readFileSync(join(dataDir, "files", upload.sha256));
    expect({ size: stored.byteLength, sha256: sha256Hex(stored) }).toEqual({
      size: upload.size,
      sha256: upload.sha256,
    });
    const served = new Uint8Array(await (await box.api(`/api/v1/documents/${upload.id}/file`)).arrayBuffer());
    expect(sha256Hex(served)).toBe(upload.sha256);
  }
}, 30_000);
