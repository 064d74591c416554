import { readFileSync } from "node:fs";
import type { Db } from "../../db.ts";
import { subscribeToEvents } from "../../events/bus.ts";
import type { Logger } from "../../http/logger.ts";
import { storedFilePath } from "../../knowledge/upload/files.ts";
import type { Keyring } from "../../tools/secrets.ts";
import type { BackupKey } from "../key.ts";
import { readBackupTarget } from "../settings.ts";
import { decryptFile, encryptFile, sha256Of } from "./age-file.ts";
import { confirmedFiles, confirmFile, expiredFiles, forgetFile, localFiles, markGoneFiles } from "./ledger.ts";
import { type FileStore, fileStores } from "./stores.ts";

export type FileBackupDeps = { config: { dataDir: string }; db: Db; keyring: Keyring; log: Logger };

/** Waits before trying an unreachable replica again; back to the first after a pass that worked. */
const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000, 60_000];
/** A burst of uploads becomes one pass. */
const WAKE_DELAY_MS = 200;
const STOP_WAIT_MS = 5000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type FileBackupState = { lastPassAt: number | null; lastError: string | null; retryAt: number | null };

/**
 * Copies every uploaded file to the backup replicas, encrypted with the backup key, and records
 * each copy once it was read back, decrypted and its sha256 matched. Works in the background:
 * an upload never waits for it. A pass starts shortly after new documents (the event bus), when
 * the settings change, at start (the catch-up of whatever is not confirmed yet) and every few
 * minutes (the backup.files job calls flush()); an unreachable replica is tried again with back-off. Copies of files that left the
 * box are pruned once they are older than the retention window.
 */
export class FileBackup {
  #timer: Timer | null = null;
  #dueAt = Number.POSITIVE_INFINITY;
  #running: Promise<boolean> | null = null;
  #again = false;
  #failures = 0;
  #stopped = false;
  #unsubscribe: (() => void) | null = null;
  #state: FileBackupState = { lastPassAt: null, lastError: null, retryAt: null };

  constructor(private readonly deps: FileBackupDeps) {}

  start(): void {
    this.#unsubscribe ??= subscribeToEvents(() => this.wake());
    this.#schedule(0);
  }

  /** Something may have changed: a pass soon, unless the replica is being waited for after a failure. */
  wake(): void {
    if (this.#failures === 0) this.#schedule(WAKE_DELAY_MS);
  }

  /** One pass now; true when every replica has every file. */
  flush(): Promise<boolean> {
    return this.#run();
  }

  state(): FileBackupState {
    return { ...this.#state };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#running) await Promise.race([this.#running, Bun.sleep(STOP_WAIT_MS)]);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    const dueAt = Date.now() + delayMs;
    if (this.#timer && this.#dueAt <= dueAt) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#dueAt = dueAt;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#dueAt = Number.POSITIVE_INFINITY;
      void this.#run();
    }, delayMs);
    this.#timer.unref();
  }

  async #run(): Promise<boolean> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#pass().finally(() => {
      this.#running = null;
    });
    const ok = await this.#running;
    this.#state.lastPassAt = Date.now();
    if (ok) this.#failures = 0;
    else this.#failures += 1;
    // The periodic sweep (files repaired by hand, pruning) is the backup.files job of server/jobs.
    const again = this.#again;
    this.#again = false;
    if (ok) {
      this.#state.retryAt = null;
      if (again) this.#schedule(0);
      return ok;
    }
    const delay = RETRY_MS[Math.min(this.#failures - 1, RETRY_MS.length - 1)] ?? 0;
    this.#state.retryAt = Date.now() + delay;
    this.#schedule(delay);
    return ok;
  }

  async #pass(): Promise<boolean> {
    const { db, keyring, config, log } = this.deps;
    let target: ReturnType<typeof readBackupTarget>;
    try {
      target = readBackupTarget(db, keyring);
    } catch (error) {
      this.#state.lastError = `The backup settings cannot be read: ${messageOf(error)}`;
      return false;
    }
    // No key yet: the supervisor makes it when it applies the settings, then wakes this.
    if (!target?.key) return true;
    const now = new Date();
    const local = localFiles(config.dataDir);
    let ok = true;
    for (const store of fileStores(target)) {
      try {
        markGoneFiles(db, store.replica, new Set(local), now);
        const known = confirmedFiles(db, store.replica);
        for (const sha256 of local) {
          if (this.#stopped) return ok;
          if (!known.has(sha256)) await this.#copy(store, sha256, target.key);
        }
        await this.#prune(store, new Date(now.getTime() - target.retentionDays * DAY_MS));
      } catch (error) {
        ok = false;
        this.#state.lastError = `${store.name} replica: ${messageOf(error)}`;
        log.warn({ replica: store.name, error: messageOf(error) }, "backups: cannot copy uploaded files");
      }
    }
    if (ok) this.#state.lastError = null;
    return ok;
  }

  async #copy(store: FileStore, sha256: string, key: BackupKey): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(storedFilePath(this.deps.config.dataDir, sha256));
    } catch {
      return; // deleted since the listing
    }
    if (sha256Of(bytes) !== sha256) {
      this.deps.log.warn(
        { sha256 },
        "backups: a stored file is damaged and was not copied; run opsbox doctor --repair-files",
      );
      return;
    }
    const encrypted = await encryptFile(key.recipient, bytes);
    await store.put(sha256, encrypted);
    const readBack = await store.get(sha256);
    if (!readBack) throw new Error(`${sha256} was not there when read back`);
    if (sha256Of(await decryptFile(key.identity, readBack)) !== sha256)
      throw new Error(`${sha256} read back with other bytes than were written`);
    confirmFile(this.deps.db, store.replica, sha256, bytes.byteLength, new Date());
  }

  async #prune(store: FileStore, before: Date): Promise<void> {
    for (const sha256 of expiredFiles(this.deps.db, store.replica, before)) {
      await store.remove(sha256);
      forgetFile(this.deps.db, store.replica, sha256);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
