import { chmodSync, existsSync, mkdirSync, readFileSync, statfsSync, statSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { join, resolve } from "node:path";
import { z } from "zod";

/** Raised when a setting is missing or wrong; main prints `message` as one line and exits 1. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const logLevels = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

const portNumber = z.coerce
  .number({ error: "must be a whole number" })
  .int("must be a whole number")
  .min(0, "must be between 0 and 65535 (0 picks any free port)")
  .max(65535, "must be between 0 and 65535 (0 picks any free port)");

const positiveInt = (unit: string) =>
  z.coerce
    .number({ error: `must be a whole number of ${unit}` })
    .int(`must be a whole number of ${unit}`)
    .positive(`must be a positive number of ${unit}`);

/**
 * Every environment variable Opsbox reads, with its default. The README's configuration
 * table mirrors this schema; keep them in step.
 */
const envSchema = z.object({
  PORT: portNumber.default(3000),
  HOST: z.string().min(1, "must not be empty").default("127.0.0.1"),
  OPSBOX_DATA_DIR: z.string().min(1, "must not be empty").default("./data"),
  OPSBOX_BASE_URL: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  OPSBOX_LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(", ")}` }).default("info"),
  OPSBOX_SECRET_KEY: z.string().optional(),
  OPSBOX_PREVIOUS_SECRET_KEYS: z.string().optional(),
  OPSBOX_TRUSTED_PROXIES: z.string().transform(parseTrustedProxies).default([]),
  // Replaced by OPSBOX_TRUSTED_PROXIES: "never" meant what is now the default; the values that
  // trusted a proxy stop the start, so that an upgrade cannot quietly change whose address counts.
  OPSBOX_TRUST_PROXY: z
    .literal("never", {
      error:
        "was replaced by OPSBOX_TRUSTED_PROXIES, a comma-separated list of proxy addresses or CIDR ranges (127.0.0.1,::1 for Caddy on this box); remove it",
    })
    .optional(),
  OPSBOX_MAX_BODY_BYTES: positiveInt("bytes").default(1024 * 1024),
  OPSBOX_MAX_UPLOAD_BYTES: positiveInt("bytes").default(50 * 1024 * 1024),
  OPSBOX_SHUTDOWN_TIMEOUT_MS: positiveInt("milliseconds").default(10_000),
  OPSBOX_API_KEY_REQUESTS_PER_MINUTE: positiveInt("requests").default(600),
  // Unset: 256 MB or 5% of the data directory's disk, whichever is smaller (see minFreeDiskDefault).
  OPSBOX_MIN_FREE_DISK_MB: z.coerce
    .number({ error: "must be a whole number of megabytes" })
    .int("must be a whole number of megabytes")
    .min(0, "must not be negative")
    .optional(),
  OPSBOX_SELF_CHECK_INTERVAL_MS: positiveInt("milliseconds").default(30_000),
  OPSBOX_JOB_HISTORY_DAYS: positiveInt("days").default(30),
  OPSBOX_MAX_REPLICATION_LAG_SECONDS: positiveInt("seconds").default(60),
  OPSBOX_CHAT_MODEL: z.string().optional(),
  OPSBOX_EMBEDDING_MODEL: z.string().optional(),
  OPSBOX_AI_THREADS: positiveInt("threads").max(256, "must be at most 256 threads").optional(),
  OPSBOX_AI_GPU: z.enum(["auto", "off"], { error: "must be auto or off" }).default("auto"),
  OPSBOX_BACKUP_SYNC_INTERVAL_MS: positiveInt("milliseconds").default(1000),
  OPSBOX_LITESTREAM_BIN: z.string().optional(),
  // Only for `opsbox backup restore --bucket …` on a box whose data directory (and settings) are gone.
  OPSBOX_BACKUP_ACCESS_KEY_ID: z.string().optional(),
  OPSBOX_BACKUP_SECRET_ACCESS_KEY: z.string().optional(),
  // The downloaded backup key (AGE-SECRET-KEY-1…, or the whole key file), for a restore on a box that lost its own.
  OPSBOX_BACKUP_KEY: z.string().optional(),
  // Tests point the timesheet drafter at a local server that answers as GitHub's REST API does.
  OPSBOX_GITHUB_API_URL: z
    .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
    .default("https://api.github.com"),
  // The SMTP receiving endpoint, for a box that owns an MX record: off unless a port is set.
  OPSBOX_SMTP_RECEIVE_PORT: portNumber.optional(),
  OPSBOX_SMTP_RECEIVE_HOST: z.string().min(1, "must not be empty").default("0.0.0.0"),
  OPSBOX_SMTP_RECEIVE_MAX_BYTES: positiveInt("bytes").default(25 * 1024 * 1024),
  OPSBOX_SMTP_RECEIVE_TLS_CERT: z.string().optional(),
  OPSBOX_SMTP_RECEIVE_TLS_KEY: z.string().optional(),
  // Which organisation each receiving domain belongs to: `acme.example=org_…,globex.example=org_…`.
  OPSBOX_SMTP_RECEIVE_DOMAINS: z.string().optional(),
});

/** Names of every environment variable Opsbox reads. */
export const configVariables = Object.keys(envSchema.shape);

export type LogLevel = (typeof logLevels)[number];

export type Config = {
  port: number;
  host: string;
  /** Absolute path of the one directory Opsbox writes to. */
  dataDir: string;
  /** Public URL of the console, without a trailing slash. */
  baseUrl: string;
  logLevel: LogLevel;
  /** 32 or more bytes; the root of every key derived for encryption and signing. */
  secretKey: Uint8Array;
  /** Keys that encrypted data before a rotation: they decrypt, never encrypt. */
  previousSecretKeys: Uint8Array[];
  /**
   * The proxies whose X-Forwarded-For gives the client's address: addresses and CIDR ranges
   * (`127.0.0.1/32`, `fd00::/8`), none by default.
   */
  trustedProxies: string[];
  /** Where the secret key came from, for `opsbox doctor`; never the key itself. */
  secretKeySource: "environment" | "file";
  maxBodyBytes: number;
  /** Largest document upload (the body limit above does not apply to uploads). */
  maxUploadBytes: number;
  /** Requests one API key may make per minute (429 beyond). */
  apiKeyRequestsPerMinute: number;
  shutdownTimeoutMs: number;
  /** Below this much free space uploads are refused (507) and /readyz fails; small writes go on. */
  minFreeDiskBytes: number;
  /** How often the self-check looks at disk, database, replication and backups. */
  selfCheckIntervalMs: number;
  /** How long finished background-job runs stay in the history (/jobs). */
  jobHistoryDays: number;
  /** A replica further behind than this alerts the instance admins. */
  maxReplicationLagSeconds: number;
  ai: AiConfig;
  backup: BackupConfig;
  /**
   * GitHub's REST API, without a trailing slash (`https://api.github.com`). Another URL is for
   * tests only: its host may then resolve to a loopback or private address.
   */
  githubApiUrl: string;
  /** The SMTP receiving endpoint; null when off (the default). */
  smtpReceive: SmtpReceiveConfig | null;
};

export type SmtpReceiveConfig = {
  port: number;
  host: string;
  /** Larger messages are refused (552) at MAIL FROM (SIZE) or once their data passes it. */
  maxBytes: number;
  /** PEM files; with both, STARTTLS is offered; without, the endpoint speaks plain SMTP. */
  tls: { certPath: string; keyPath: string } | null;
  /**
   * Lower-case domain → the organisation that owns it, as the box's operator assigned them: an
   * organisation's admin can type any address into its inbound mailbox, so only an address on a
   * domain assigned to that organisation receives mail here.
   */
  domains: Map<string, string>;
};

/** How the box runs Litestream; where it replicates to is an admin's setting. */
export type BackupConfig = {
  /** How often Litestream ships new WAL frames to the replicas. */
  syncIntervalMs: number;
  /** The litestream binary; null uses the npm package's (@flydotio/litestream-linux-x64) or PATH's. */
  litestreamBin: string | null;
  /** S3 credentials for a restore that cannot read them from the (lost) settings. */
  restoreAccessKeyId: string | null;
  restoreSecretAccessKey: string | null;
  /** The backup key an admin downloaded, for a restore without the box's own (OPSBOX_BACKUP_KEY). */
  restoreKey: string | null;
};

/** What the operator decides about the local models; everything else about serving is an admin's setting. */
export type AiConfig = {
  /** A GGUF file that serves chat whatever an admin chose (absolute path), or null. */
  chatModelPath: string | null;
  /** A GGUF file that serves embeddings whatever an admin chose (absolute path), or null. */
  embeddingModelPath: string | null;
  /** Threads for llama.cpp, overriding the admin's setting (tests and 2-core boxes pin it). */
  threads: number | null;
  /** "auto" uses a GPU when node-llama-cpp finds one; "off" keeps to the CPU. */
  gpu: "auto" | "off";
};

export const SECRET_KEY_FILE = "secret-key";
const MIN_SECRET_BYTES = 32;

/**
 * Reads and validates every setting from `env`, creates the data directory and, when
 * OPSBOX_SECRET_KEY is unset, generates or reuses `<data dir>/secret-key`.
 * Throws ConfigError with a one-line message naming the variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const input = Object.fromEntries(Object.keys(envSchema.shape).map((key) => [key, emptyToUndefined(env[key])]));
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "configuration");
    const got = input[name];
    const shown =
      name === "OPSBOX_SECRET_KEY" ||
      name === "OPSBOX_BACKUP_SECRET_ACCESS_KEY" ||
      name === "OPSBOX_BACKUP_KEY" ||
      got === undefined
        ? ""
        : ` (got ${JSON.stringify(got)})`;
    throw new ConfigError(`${name}: ${issue?.message ?? "is invalid"}${shown}`);
  }
  const settings = parsed.data;
  const dataDir = resolve(settings.OPSBOX_DATA_DIR);
  ensureDataDir(dataDir);
  const secret = settings.OPSBOX_SECRET_KEY
    ? { keys: [decodeSecretKey(settings.OPSBOX_SECRET_KEY, "OPSBOX_SECRET_KEY")], source: "environment" as const }
    : { keys: loadOrCreateSecretKeyFile(dataDir), source: "file" as const };
  const previous = (settings.OPSBOX_PREVIOUS_SECRET_KEYS ?? "")
    .split(",")
    .map((text) => text.trim())
    .filter(Boolean)
    .map((text) => decodeSecretKey(text, "OPSBOX_PREVIOUS_SECRET_KEYS"));
  const [currentKey, ...olderFileKeys] = secret.keys;
  if (!currentKey) throw new ConfigError("OPSBOX_SECRET_KEY: the secret key file is empty");

  return {
    port: settings.PORT,
    host: settings.HOST,
    dataDir,
    baseUrl: (settings.OPSBOX_BASE_URL ?? `http://localhost:${settings.PORT}`).replace(/\/+$/, ""),
    logLevel: settings.OPSBOX_LOG_LEVEL,
    secretKey: currentKey,
    previousSecretKeys: [...olderFileKeys, ...previous],
    secretKeySource: secret.source,
    trustedProxies: settings.OPSBOX_TRUSTED_PROXIES,
    maxBodyBytes: settings.OPSBOX_MAX_BODY_BYTES,
    maxUploadBytes: settings.OPSBOX_MAX_UPLOAD_BYTES,
    apiKeyRequestsPerMinute: settings.OPSBOX_API_KEY_REQUESTS_PER_MINUTE,
    shutdownTimeoutMs: settings.OPSBOX_SHUTDOWN_TIMEOUT_MS,
    minFreeDiskBytes:
      settings.OPSBOX_MIN_FREE_DISK_MB === undefined
        ? minFreeDiskDefault(dataDir)
        : settings.OPSBOX_MIN_FREE_DISK_MB * 1024 * 1024,
    selfCheckIntervalMs: settings.OPSBOX_SELF_CHECK_INTERVAL_MS,
    jobHistoryDays: settings.OPSBOX_JOB_HISTORY_DAYS,
    maxReplicationLagSeconds: settings.OPSBOX_MAX_REPLICATION_LAG_SECONDS,
    ai: {
      chatModelPath: modelFile(settings.OPSBOX_CHAT_MODEL, "OPSBOX_CHAT_MODEL"),
      embeddingModelPath: modelFile(settings.OPSBOX_EMBEDDING_MODEL, "OPSBOX_EMBEDDING_MODEL"),
      threads: settings.OPSBOX_AI_THREADS ?? null,
      gpu: settings.OPSBOX_AI_GPU,
    },
    backup: {
      syncIntervalMs: settings.OPSBOX_BACKUP_SYNC_INTERVAL_MS,
      litestreamBin: settings.OPSBOX_LITESTREAM_BIN ? resolve(settings.OPSBOX_LITESTREAM_BIN) : null,
      restoreAccessKeyId: settings.OPSBOX_BACKUP_ACCESS_KEY_ID ?? null,
      restoreSecretAccessKey: settings.OPSBOX_BACKUP_SECRET_ACCESS_KEY ?? null,
      restoreKey: settings.OPSBOX_BACKUP_KEY ?? null,
    },
    githubApiUrl: settings.OPSBOX_GITHUB_API_URL.replace(/\/+$/, ""),
    smtpReceive: smtpReceiveConfig(settings),
  };
}

function smtpReceiveConfig(settings: z.output<typeof envSchema>): SmtpReceiveConfig | null {
  const cert = settings.OPSBOX_SMTP_RECEIVE_TLS_CERT;
  const key = settings.OPSBOX_SMTP_RECEIVE_TLS_KEY;
  if ((cert === undefined) !== (key === undefined)) {
    throw new ConfigError(
      "OPSBOX_SMTP_RECEIVE_TLS_CERT and OPSBOX_SMTP_RECEIVE_TLS_KEY: set both (STARTTLS) or neither",
    );
  }
  if (settings.OPSBOX_SMTP_RECEIVE_PORT === undefined) return null;
  return {
    domains: receivingDomains(settings.OPSBOX_SMTP_RECEIVE_DOMAINS),
    port: settings.OPSBOX_SMTP_RECEIVE_PORT,
    host: settings.OPSBOX_SMTP_RECEIVE_HOST,
    maxBytes: settings.OPSBOX_SMTP_RECEIVE_MAX_BYTES,
    tls: cert && key ? { certPath: resolve(cert), keyPath: resolve(key) } : null,
  };
}

/** `acme.example=org_…,globex.example=org_…` as a map; one domain can belong to one organisation only. */
function receivingDomains(value: string | undefined): Map<string, string> {
  const domains = new Map<string, string>();
  const problem = (text: string) =>
    new ConfigError(`OPSBOX_SMTP_RECEIVE_DOMAINS: ${text} (write domain=organisation-id pairs separated by commas)`);
  if (!value?.trim()) throw problem("required with OPSBOX_SMTP_RECEIVE_PORT");
  for (const pair of value.split(",")) {
    const match = /^\s*([a-z0-9.-]+\.[a-z]{2,})\s*=\s*(org_[a-z0-9]+)\s*$/i.exec(pair);
    if (!match?.[1] || !match[2]) throw problem(`"${pair.trim()}" is not domain=organisation-id`);
    const domain = match[1].toLowerCase();
    if (domains.has(domain)) throw problem(`${domain} is listed twice`);
    domains.set(domain, match[2]);
  }
  return domains;
}

const MIN_FREE_DISK_CAP_BYTES = 256 * 1024 * 1024;

/**
 * 256 MB or 5% of the disk, whichever is smaller: a fixed 256 MB would fail /readyz on the
 * first boot of a small appliance disk, and 5% of a large one keeps far more than needed.
 */
export function minFreeDiskDefault(dataDir: string): number {
  try {
    const stats = statfsSync(dataDir);
    const diskBytes = Number(stats.blocks) * Number(stats.bsize);
    return Math.min(MIN_FREE_DISK_CAP_BYTES, Math.floor(diskBytes * 0.05));
  } catch {
    return MIN_FREE_DISK_CAP_BYTES;
  }
}

/** A model path the operator set must name a readable file now, not at the first question. */
function modelFile(path: string | undefined, name: string): string | null {
  if (path === undefined) return null;
  const absolute = resolve(path);
  try {
    if (!statSync(absolute).isFile()) throw new Error("not a file");
  } catch (error) {
    throw new ConfigError(`${name}: cannot use ${absolute} as a GGUF model file: ${describeFsError(error)}`);
  }
  return absolute;
}

/** `10.0.0.1, fd00::/8` → `["10.0.0.1/32", "fd00::/8"]`; an entry that is not an address or range is an issue. */
function parseTrustedProxies(text: string, ctx: z.RefinementCtx): string[] {
  const ranges: string[] = [];
  for (const entry of text.split(",").map((part) => part.trim())) {
    if (entry === "") continue;
    const [address = "", bits, extra] = entry.split("/");
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
    if (family === 0 || extra !== undefined || !(prefix >= 0 && prefix <= max)) {
      ctx.addIssue({
        code: "custom",
        message: `must be a comma-separated list of IP addresses or CIDR ranges (like 127.0.0.1,::1 or 10.0.0.0/8); "${entry}" is neither`,
      });
      return z.NEVER;
    }
    ranges.push(`${address}/${prefix}`);
  }
  return ranges;
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function ensureDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o750 });
    if (!statSync(dataDir).isDirectory()) throw new Error("not a directory");
  } catch (error) {
    throw new ConfigError(`OPSBOX_DATA_DIR: cannot use ${dataDir}: ${describeFsError(error)}`);
  }
}

/** Accepts 64+ hex characters or base64/base64url of at least 32 bytes. */
function decodeSecretKey(text: string, source: string): Uint8Array {
  const bytes =
    /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0
      ? Buffer.from(text, "hex")
      : /^[A-Za-z0-9+/_-]+={0,2}$/.test(text)
        ? Buffer.from(text, "base64")
        : null;
  if (!bytes || bytes.length < MIN_SECRET_BYTES) {
    throw new ConfigError(
      `${source}: must be at least ${MIN_SECRET_BYTES} random bytes, written as hex or base64 (for example: openssl rand -base64 32)`,
    );
  }
  return new Uint8Array(bytes);
}

/** The keys in `<data dir>/secret-key`, current first; for a running server after a rotation. */
export function readSecretKeyFile(dataDir: string): Uint8Array[] {
  return loadOrCreateSecretKeyFile(dataDir);
}

/**
 * The key file holds one key per line: the first encrypts, later lines are earlier keys kept
 * so that data encrypted before a rotation still decrypts.
 */
function loadOrCreateSecretKeyFile(dataDir: string): Uint8Array[] {
  const path = join(dataDir, SECRET_KEY_FILE);
  try {
    if (existsSync(path)) {
      return readFileSync(path, "utf8")
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#"))
        .map((line) => decodeSecretKey(line, path));
    }
    const key = generateSecretKey();
    // "wx" so that two processes starting at once cannot both write a different key.
    writeFileSync(path, `${encodeSecretKey(key)}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(path, 0o600);
    return [key];
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadOrCreateSecretKeyFile(dataDir);
    throw new ConfigError(`OPSBOX_SECRET_KEY: cannot create ${path}: ${describeFsError(error)}`);
  }
}

export function generateSecretKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(MIN_SECRET_BYTES));
}

export function encodeSecretKey(key: Uint8Array): string {
  return Buffer.from(key).toString("base64url");
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOTDIR" || code === "EEXIST") return "a file is in the way";
  if (code === "EROFS") return "read-only file system";
  if (code === "ENOENT") return "no such file or directory";
  return error instanceof Error ? error.message : String(error);
}
