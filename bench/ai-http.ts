/**
 * The HTTP target of bench/ai.ts: the real server (`bun server/main.ts`, its own process) on a
 * fresh data directory, serving the model through OPSBOX_CHAT_MODEL with the bench's threads,
 * context and greedy sampling. One small text document is uploaded and indexed through the API,
 * so that every question retrieves it and the chat model really writes the answer (a question
 * the documents do not answer never reaches the model). Each run asks in a new conversation,
 * so every prompt is the same size, and reads the answer as server-sent events.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { documentChunks, documents } from "../models/knowledge.ts";
import { defaultServingSettings, saveServingSettings } from "../server/ai/serving-settings.ts";
import { createApiKey } from "../server/auth/keys/api-keys.ts";
import { rolePermissions } from "../server/auth/roles/permissions.ts";
import { loadConfig } from "../server/config.ts";
import { closeDatabase, databasePath, openDatabase } from "../server/db.ts";
import type { Excerpt } from "../server/knowledge/assistant/prompt.ts";
import { migrate } from "../server/migrate.ts";
import { setupInput } from "../server/setup/schemas.ts";
import { completeSetup } from "../server/setup/service.ts";
import { makeTempDir } from "../server/testing/harness.ts";
import { createKeyring } from "../server/tools/secrets.ts";
import { startBenchServer } from "./server.ts";

/** Words the question shares with the document, so that keyword retrieval finds it. */
export const DOCUMENT_TEXT =
  "Once upon a time there was a little boiler named Tim. Tim lived in a big house and kept the " +
  "family warm. Every morning Tim checked his pressure: one and a half bar when he was cold.";
export const QUESTION = "Once upon a time, what did the little boiler Tim check every morning?";

/**
 * One answer: tokens generated, the whole request, and the generation from the first token to
 * the last (so that storing the answer after it, an fsync, is not counted as generating).
 */
export type Timing = { tokens: number; ms: number; generatingMs: number };

/** When the first and the last token arrived. */
export function startTokenClock(): { tick: () => void; generatingMs: () => number } {
  let first = 0;
  let last = 0;
  return {
    tick: () => {
      last = performance.now();
      if (first === 0) first = last;
    },
    generatingMs: () => last - first,
  };
}

export type HttpTarget = {
  name: string;
  generate: () => Promise<Timing>;
  /** Tokens/s of the recent generations as the runtime inside the server measured them. */
  serverTokensPerSecond: () => Promise<number | null>;
  /** The passage the server retrieves, as its prompt quotes it, for a direct run of the same prompt. */
  excerpt: Excerpt;
  close: () => Promise<void>;
};

export type HttpTargetOptions = {
  modelPath: string;
  threads: number;
  contextSize: number;
  maxTokens: number;
  gpu: "auto" | "off";
};

export async function startHttpTarget(options: HttpTargetOptions): Promise<HttpTarget> {
  const dataDir = makeTempDir("opsbox-bench-ai-http-");
  const apiKey = await seedBox(dataDir, options);
  const server = await startBenchServer({
    dataDir,
    logLevel: "warn",
    logFile: join(dataDir, "server.log"),
    env: {
      OPSBOX_CHAT_MODEL: options.modelPath,
      OPSBOX_AI_THREADS: String(options.threads),
      OPSBOX_AI_GPU: options.gpu,
    },
  });
  const call = (path: string, init: RequestInit = {}) =>
    fetch(server.url + path, {
      ...init,
      headers: { Authorization: `Bearer ${apiKey}`, ...(init.headers as Record<string, string>) },
    });
  try {
    const documentId = await uploadDocument(call);
    const excerpt = readExcerpt(dataDir, documentId);
    return {
      name: "Opsbox API (POST /api/v1/conversations/{id}/messages, SSE)",
      excerpt,
      generate: () => askOnce(call),
      serverTokensPerSecond: async () =>
        ((await (await call("/api/v1/ai/status")).json()) as { recentTokensPerSecond: number | null })
          .recentTokensPerSecond,
      close: async () => {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** A set-up box, the serving settings of the bench, and an admin's API key. */
async function seedBox(dataDir: string, options: HttpTargetOptions): Promise<string> {
  const config = loadConfig({ OPSBOX_DATA_DIR: dataDir });
  const db = openDatabase(databasePath(dataDir));
  try {
    migrate(db);
    const keyring = createKeyring(config.secretKey, config.previousSecretKeys);
    const setup = await completeSetup(
      { db, keyring, dataDir },
      setupInput.parse({
        organization: { name: "Bench Ltd", industry: "general", complianceLevel: "basic" },
        admin: { name: "Bench Admin", email: "admin@bench.test", password: "quiet lantern orbit 4815" },
        agents: { defaults: [] },
      }),
    );
    // Greedy sampling: both sides generate the same tokens. The longest answer is the bench's.
    saveServingSettings(db, {
      ...defaultServingSettings,
      contextSize: options.contextSize,
      maxTokens: options.maxTokens,
      temperature: 0,
      timeoutSeconds: 3600,
    });
    const { key } = createApiKey(
      db,
      {
        orgId: setup.organizationId,
        userId: setup.userId,
        name: "Benchmark",
        // settings.manage reads /api/v1/ai/status: the server's own view of its speed.
        scopes: ["assistant.ask", "documents.upload", "workspace.read", "settings.manage"],
        expiresAt: null,
      },
      rolePermissions.admin,
    );
    return key;
  } finally {
    closeDatabase(db);
  }
}

type Call = (path: string, init?: RequestInit) => Promise<Response>;

async function uploadDocument(call: Call): Promise<string> {
  const form = new FormData();
  form.append("file", new File([DOCUMENT_TEXT], "boiler-tim.txt", { type: "text/plain" }));
  const uploaded = await call("/api/v1/documents", { method: "POST", body: form });
  if (uploaded.status !== 201 && uploaded.status !== 202) {
    throw new Error(`upload answered ${uploaded.status}: ${await uploaded.text()}`);
  }
  const { id } = (await uploaded.json()) as { id: string };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { status, statusReason } = (await (await call(`/api/v1/documents/${id}`)).json()) as {
      status: string;
      statusReason: string | null;
    };
    if (status === "indexed") return id;
    if (status === "failed") throw new Error(`the document failed to index: ${statusReason}`);
    await Bun.sleep(50);
  }
  throw new Error("the document was not indexed within 30 s");
}

/** The indexed chunk as retrieval hands it to the prompt (one chunk: the document is short). */
function readExcerpt(dataDir: string, documentId: string): Excerpt {
  const db = openDatabase(databasePath(dataDir));
  try {
    const document = db.select().from(documents).where(eq(documents.id, documentId)).get();
    const chunk = db.select().from(documentChunks).where(eq(documentChunks.documentId, documentId)).get();
    if (!document || !chunk) throw new Error("the document has no chunk");
    const { title } = document;
    return { documentId, title, chunkId: chunk.id, page: chunk.page, heading: chunk.heading, text: chunk.text };
  } finally {
    closeDatabase(db);
  }
}

/** A new conversation, one question, the answer read as events; tokens from the stored message. */
async function askOnce(call: Call): Promise<Timing> {
  const json = { "Content-Type": "application/json" };
  const created = await call("/api/v1/conversations", { method: "POST", headers: json, body: "{}" });
  const { id } = (await created.json()) as { id: string };
  const started = performance.now();
  const response = await call(`/api/v1/conversations/${id}/messages`, {
    method: "POST",
    headers: { ...json, Accept: "text/event-stream" },
    body: JSON.stringify({ content: QUESTION }),
  });
  if (response.status !== 200 || !response.body)
    throw new Error(`ask answered ${response.status}: ${await response.text()}`);
  const clock = startTokenClock();
  type Done = { status: string; tokenCount: number; content: string };
  // Written inside the loop; a holder, since TypeScript does not follow assignments in loops over streams.
  const answer: { done: Done | null } = { done: null };
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? "";
      if (event === "token") clock.tick();
      if (event === "error") throw new Error(`the answer failed: ${data}`);
      if (event === "done") answer.done = (JSON.parse(data) as { message: Done }).message;
    }
  }
  const ended = performance.now();
  const done = answer.done;
  if (done?.status !== "complete") throw new Error(`no complete answer: ${JSON.stringify(done)}`);
  return { tokens: done.tokenCount, ms: ended - started, generatingMs: clock.generatingMs() };
}
