import { Database } from "bun:sqlite";
import { afterAll, expect } from "bun:test";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { apiAs, postForm } from "../../auth/people/people-test-kit.ts";
import { diskSizeBytes, freeDiskBytes } from "../../http/disk-space.ts";
import { AppError } from "../../http/errors.ts";
import { startTestApp } from "../../testing/harness.ts";
import { sessionCookie, setUpBox } from "../../testing/identity.ts";
import {
  type SpawnedBox,
  setUpSpawnedBox,
  sha256Hex,
  startSpawnedBox,
  textDocument,
  uploadText,
} from "../../testing/spawned-box.ts";
import { mountTmpfs, testWithTmpfs } from "../../testing/tmpfs.ts";
import { uploadAs } from "../test-kit.ts";
import { stageFile } from "./files.ts";

/**
 * The disk-full drill: a real server process on a 40 MB tmpfs, filled while uploads and task
 * writes run. The guard is off (OPSBOX_MIN_FREE_DISK_MB=0) so that the writes themselves meet
 * ENOSPC and SQLITE_FULL.
 */

const mount = mountTmpfs(40);
let box: SpawnedBox | null = null;
afterAll(() => {
  box?.proc.kill("SIGKILL");
  mount.tmpfs?.unmount();
});

const UPLOAD_BYTES = 1024 * 1024;

type Acked = { id: string; sha256: string; size: number };

/** Writes `path` until fewer than `leaveBytes` are free (ENOSPC ends it when `leaveBytes` is 0). */
function fill(path: string, dir: string, leaveBytes: number): void {
  const fd = openSync(path, "a");
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) {
      const room = freeDiskBytes(dir) - leaveBytes;
      if (room <= 0) break;
      writeSync(fd, block, 0, Math.min(block.length, room));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
}

async function expectInsufficientStorage(response: Response): Promise<void> {
  expect(response.status).toBe(507);
  const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error.code).toBe("insufficient_storage");
  expect(body.error.message).toContain("disk");
  expect(body.error.requestId).not.toBe("");
}

testWithTmpfs(
  mount,
  "a disk that fills under uploads and task writes answers 507, kills nothing, keeps every acknowledged upload and row, and a truncated file in the store is replaced",
  async (tmpfs) => {
    const dataDir = join(tmpfs.dir, "data");
    const filler = join(tmpfs.dir, "filler");
    const apiKey = await setUpSpawnedBox(dataDir);
    // An earlier attempt left the first megabyte of these bytes under the name of their full hash.
    const poisoned = textDocument(2 * UPLOAD_BYTES, "poisoned");
    const poisonedPath = join(dataDir, "files", sha256Hex(poisoned));
    mkdirSync(join(dataDir, "files"), { recursive: true });
    await Bun.write(poisonedPath, poisoned.subarray(0, UPLOAD_BYTES));

    box = await startSpawnedBox(dataDir, apiKey, { OPSBOX_MIN_FREE_DISK_MB: "0" });
    const running = box;
    const uploads: Acked[] = [];
    const tasks: { id: string; title: string }[] = [];
    let refusedUploads = 0;
    let refusedTasks = 0;
    let phase: "filling" | "full" | "done" = "filling";

    // Two at a time, so that one may pass the free-space check and still meet ENOSPC mid-stream.
    const uploadLoop = async (worker: number) => {
      for (let n = 0; phase !== "done" && n < 40; n += 1) {
        const bytes = textDocument(UPLOAD_BYTES, `upload ${worker}.${n}`);
        const response = await uploadText(running, bytes, `manual-${worker}-${n}.txt`);
        if (response.status === 202) {
          const document = (await response.json()) as { id: string };
          uploads.push({ id: document.id, sha256: sha256Hex(bytes), size: bytes.byteLength });
        } else {
          await expectInsufficientStorage(response);
          refusedUploads += 1;
          if (phase === "full" && refusedUploads >= 4) return;
        }
      }
    };
    const taskLoop = async () => {
      for (let n = 0; phase !== "done"; n += 1) {
        const title = `Check the pump ${n} ${"·".repeat(150)}`;
        const response = await running.api("/api/v1/tasks", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ title, description: "x".repeat(4000) }),
        });
        if (response.status === 201) tasks.push({ id: ((await response.json()) as { id: string }).id, title });
        else {
          await expectInsufficientStorage(response);
          refusedTasks += 1;
        }
      }
    };
    const filling = async () => {
      while (uploads.length < 3) await Bun.sleep(10);
      fill(filler, tmpfs.dir, (UPLOAD_BYTES * 3) / 2);
      phase = "full";
      while (refusedUploads < 3) await Bun.sleep(10);
      fill(filler, tmpfs.dir, 0);
      while (refusedTasks < 3) await Bun.sleep(10);
      phase = "done";
    };
    await Promise.all([uploadLoop(1), uploadLoop(2), taskLoop(), filling()]);

    expect(running.alive()).toBe(true);
    expect((await running.api("/healthz")).status).toBe(200);
    // Deleting frees space, so it works on a full disk.
    const gone = uploads.shift();
    if (!gone) throw new Error("no upload was acknowledged");
    expect((await running.api(`/api/v1/documents/${gone.id}`, { method: "DELETE" })).status).toBe(204);
    expect(existsSync(join(dataDir, "files", gone.sha256))).toBe(false);

    rmSync(filler);
    const again = await uploadText(running, poisoned, "poisoned.txt");
    expect(again.status).toBe(202);
    uploads.push({
      id: ((await again.json()) as { id: string }).id,
      sha256: sha256Hex(poisoned),
      size: poisoned.length,
    });

    running.proc.kill("SIGKILL");
    await running.proc.exited;
    box = await startSpawnedBox(dataDir, apiKey);
    for (const upload of uploads) {
      const response = await box.api(`/api/v1/documents/${upload.id}`);
      expect(response.status).toBe(200);
      const stored = readFileSync(join(dataDir, "files", upload.sha256));
      expect({ size: stored.byteLength, sha256: sha256Hex(stored) }).toEqual({
        size: upload.size,
        sha256: upload.sha256,
      });
    }
    for (const task of tasks) {
      const response = await box.api(`/api/v1/tasks/${task.id}`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { title: string }).title).toBe(task.title);
    }
    // No half-written upload and no file without its document.
    const stored = readdirSync(join(dataDir, "files")).filter((name) => name !== "tmp");
    expect(stored.sort()).toEqual(uploads.map((upload) => upload.sha256).sort());
    expect(readdirSync(join(dataDir, "files", "tmp"))).toEqual([]);
    box.proc.kill("SIGTERM");
    await box.proc.exited;
    box = null;
    const db = new Database(join(dataDir, "opsbox.db"), { readonly: true });
    try {
      expect(db.query("PRAGMA integrity_check").all()).toEqual([{ integrity_check: "ok" }]);
    } finally {
      db.close();
    }
  },
  30_000,
);

testWithTmpfs(
  mount,
  "an upload that meets ENOSPC mid-stream is refused with 507 and leaves no partial file",
  async (tmpfs) => {
    const dataDir = join(tmpfs.dir, "staging");
    const filler = join(tmpfs.dir, "filler-2");
    mkdirSync(join(dataDir, "files", "tmp"), { recursive: true });
    fill(filler, tmpfs.dir, UPLOAD_BYTES / 4);
    try {
      const source = new Blob([textDocument(UPLOAD_BYTES, "too big")]).stream();
      const refused = await stageFile(dataDir, source, 10 * UPLOAD_BYTES).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({ code: "insufficient_storage", status: 507 });
      expect(readdirSync(join(dataDir, "files", "tmp"))).toEqual([]);
    } finally {
      rmSync(filler);
    }
  },
);

testWithTmpfs(
  mount,
  "on a small disk the minimum free is 5% of it, so /readyz passes on the first boot; below it, uploads are refused with 507 before they start while task writes go on; on a full disk a console form keeps what was typed and deleting still works",
  async (tmpfs) => {
    const dataDir = join(tmpfs.dir, "guard");
    const filler = join(tmpfs.dir, "filler-3");
    mkdirSync(dataDir);
    const app = await startTestApp({ dataDir });
    try {
      expect(app.config.minFreeDiskBytes).toBe(Math.floor(diskSizeBytes(dataDir) * 0.05));
      expect((await app.fetch("/readyz")).status).toBe(200);
      const acme = await setUpBox(app);
      const cookie = sessionCookie(app, acme.adminId, acme.orgId);
      const call = apiAs(app, cookie);
      const kept = await uploadAs(app, cookie, "A manual kept for the full disk\n", "kept.txt");
      expect(kept.status).toBe(202);
      const keptId = ((await kept.json()) as { id: string }).id;

      // Room for the file, but not for the file and the minimum: refused on its Content-Length.
      fill(filler, tmpfs.dir, app.config.minFreeDiskBytes + UPLOAD_BYTES);
      const refused = await uploadAs(app, cookie, textDocument((UPLOAD_BYTES * 3) / 2, "guarded"), "guarded.txt");
      await expectInsufficientStorage(refused);
      expect(existsSync(join(dataDir, "files", "tmp")) ? readdirSync(join(dataDir, "files", "tmp")) : []).toEqual([]);
      expect((await call("POST", "/api/v1/tasks", { title: "Still writable" })).status).toBe(201);

      // The WAL folded back while there is room for it (the box's background work writes too), so
      // that once the disk is full any write needs new room.
      app.deps.db.$client.run("PRAGMA wal_checkpoint(TRUNCATE)");
      fill(filler, tmpfs.dir, app.config.minFreeDiskBytes / 2);
      await expectInsufficientStorage(await uploadAs(app, cookie, "a small note\n", "note.txt"));
      expect((await call("POST", "/api/v1/tasks", { title: "Small writes go on" })).status).toBe(201);
      const ready = await app.fetch("/readyz");
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: { disk: { status: string } } }).checks.disk.status).toBe("fail");

      // Full: any write needs new room. The console form keeps what was typed.
      fill(filler, tmpfs.dir, 0);
      const edit = await postForm(app, cookie, `/documents/${keptId}`, { title: "Renamed on a full disk" });
      expect(edit.status).toBe(507);
      const page = await edit.text();
      expect(page).toContain("The disk of this Opsbox is full");
      expect(page).toContain('value="Renamed on a full disk"');
      // Deleting is how space comes back, so it works on a full disk.
      expect((await postForm(app, cookie, `/documents/${keptId}/delete`, {})).status).toBeLessThan(400);
      expect((await call("GET", `/api/v1/documents/${keptId}`)).status).toBe(404);
    } finally {
      rmSync(filler, { force: true });
      await app.close();
    }
  },
);
