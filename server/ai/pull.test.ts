import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { apiAs, type Call, errorOf } from "../auth/people/people-test-kit.ts";
import { saveAllowedPrivateHosts } from "../outbound/outbound-hosts.ts";
import type { TestApp } from "../testing/harness.ts";
import { sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { testModelPath, testWith } from "../testing/test-model.ts";
import { resolvePullUrl } from "./pull-source.ts";
import type { ModelJson } from "./schemas.ts";

const TEST_MODEL_SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

/**
 * A model server on loopback (node:http, which keeps the Content-Length it is given while it
 * streams): /model.gguf at once, /slow.gguf in paced chunks, /huge.gguf claims a petabyte.
 */
async function startModelServer(bytes: Uint8Array): Promise<{ url: string; close: () => void }> {
  const server = createServer(async (request, response) => {
    const path = request.url ?? "/";
    if (path === "/model.gguf") {
      response.writeHead(200, { "Content-Length": bytes.length }).end(bytes);
    } else if (path === "/slow.gguf") {
      response.writeHead(200, { "Content-Length": bytes.length });
      for (let offset = 0; offset < bytes.length && !response.destroyed; offset += 100_000) {
        await Bun.sleep(120);
        response.write(bytes.slice(offset, offset + 100_000));
      }
      response.end();
    } else if (path === "/huge.gguf") {
      response.writeHead(200, { "Content-Length": String(10 ** 15) });
      response.flushHeaders();
    } else {
      response.writeHead(404).end("no such file");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

let box: TestApp;
let admin: Call;
let server: Awaited<ReturnType<typeof startModelServer>> | null = null;
let base = "";

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  const path = testModelPath();
  if (path) {
    server = await startModelServer(new Uint8Array(readFileSync(path)));
    base = server.url;
  }
});
afterAll(async () => {
  server?.close();
  await box.close();
});

async function waitUntilSettled(id: string, seen: number[] = []): Promise<ModelJson> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const model = (await (await admin("GET", `/api/v1/ai/models/${id}`)).json()) as ModelJson;
    seen.push(model.downloadedBytes);
    if (model.status !== "downloading") return model;
    await Bun.sleep(25);
  }
  throw new Error("the pull never finished");
}

const modelFiles = () => readdirSync(join(box.dataDir, "models"));

describe("pulling a model", () => {
  testWith("model", "loopback is refused until an admin allows the host", async () => {
    const response = await admin("POST", "/api/v1/ai/models", { url: `${base}/model.gguf` });
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.details?.[0]?.path).toBe("url");
    saveAllowedPrivateHosts(box.deps.db, ["127.0.0.1"]);
  });

  testWith("model", "a pull answers 202, shows its progress, and ends ready with facts and sha256", async () => {
    const response = await admin("POST", "/api/v1/ai/models", { url: `${base}/slow.gguf`, sha256: TEST_MODEL_SHA256 });
    expect(response.status).toBe(202);
    const started = (await response.json()) as ModelJson;
    expect(started).toMatchObject({ status: "downloading", sizeBytes: 1_185_376, name: "slow" });
    expect(response.headers.get("Location")).toBe(`/api/v1/ai/models/${started.id}`);
    const seen: number[] = [];
    const done = await waitUntilSettled(started.id, seen);
    expect(done).toMatchObject({
      status: "ready",
      sha256: TEST_MODEL_SHA256,
      downloadedBytes: 1_185_376,
      architecture: "llama",
      embeddingLength: 64,
      source: `${base}/slow.gguf`,
    });
    // Some poll saw the download part-way.
    expect(seen.some((bytes) => bytes > 0 && bytes < 1_185_376)).toBe(true);
    expect(modelFiles()).toContain(done.fileName);
    expect(modelFiles().filter((name) => name.endsWith(".partial"))).toEqual([]);
  });

  testWith("model", "a sha256 mismatch fails the pull and leaves no file behind", async () => {
    const response = await admin("POST", "/api/v1/ai/models", { url: `${base}/model.gguf`, sha256: "0".repeat(64) });
    expect(response.status).toBe(202);
    const done = await waitUntilSettled(((await response.json()) as ModelJson).id);
    expect(done.status).toBe("failed");
    expect(done.statusReason).toContain("sha256");
    expect(modelFiles()).not.toContain(done.fileName);
    expect(modelFiles().filter((name) => name.endsWith(".partial"))).toEqual([]);
  });

  testWith("model", "more than the free disk space is refused before anything is written (507)", async () => {
    const response = await admin("POST", "/api/v1/ai/models", { url: `${base}/huge.gguf` });
    expect(response.status).toBe(507);
    const error = await errorOf(response);
    expect(error.code).toBe("insufficient_storage");
    expect(error.message).toContain("disk space");
  });

  testWith("model", "a URL the server does not have is a 422 naming its answer", async () => {
    const response = await admin("POST", "/api/v1/ai/models", { url: `${base}/nothing.gguf` });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.[0]).toMatchObject({ path: "url" });
  });

  testWith("model", "deleting a model mid-download stops it", async () => {
    const response = await admin("POST", "/api/v1/ai/models", { url: `${base}/slow.gguf` });
    const started = (await response.json()) as ModelJson;
    expect((await admin("DELETE", `/api/v1/ai/models/${started.id}`)).status).toBe(204);
    expect((await admin("GET", `/api/v1/ai/models/${started.id}`)).status).toBe(404);
    const leftovers = () => modelFiles().filter((name) => name.includes(started.id.slice(-8).toLowerCase()));
    // The download notices the cancel at its next chunk and removes its partial file.
    for (let attempt = 0; attempt < 100 && leftovers().length > 0; attempt += 1) await Bun.sleep(20);
    expect(leftovers()).toEqual([]);
    // The download has ended, not only lost its file, before the next test runs.
    const ended = () => box.logs.some((line) => line.msg === "model pull failed" && line.model === started.id);
    for (let attempt = 0; attempt < 100 && !ended(); attempt += 1) await Bun.sleep(20);
    expect(ended()).toBe(true);
  });
});

describe("stopping the box during a download", () => {
  testWith("model", "the download ends first: its model reads as failed and the box stops cleanly", async () => {
    const other = await startInProcessApp();
    try {
      const org = await setUpBox(other);
      const call = apiAs(other, sessionCookie(other, org.adminId, org.orgId));
      saveAllowedPrivateHosts(other.deps.db, ["127.0.0.1"]);
      const response = await call("POST", "/api/v1/ai/models", { url: `${base}/slow.gguf` });
      expect(response.status).toBe(202);
      const started = (await response.json()) as ModelJson;
      await other.stop("test");
      const db = new Database(join(other.dataDir, "opsbox.db"), { readonly: true });
      const row = db.query("select status, status_reason as reason from ai_models where id = ?").get(started.id);
      db.close();
      expect(row).toEqual({
        status: "failed",
        reason: "The download was interrupted because Opsbox stopped. Delete it and pull again.",
      });
      expect(other.logs.some((line) => line.msg === "stop hook failed")).toBe(false);
    } finally {
      await other.close();
    }
  });
});

describe("pull sources", () => {
  test("hf:<user>/<repo>/<file> is the Hugging Face Hub's resolve URL on main", () => {
    expect(resolvePullUrl("hf:microsoft/Phi-3-mini-4k-instruct-gguf/Phi-3-mini-4k-instruct-q4.gguf", []).href).toBe(
      "https://huggingface.co/microsoft/Phi-3-mini-4k-instruct-gguf/resolve/main/Phi-3-mini-4k-instruct-q4.gguf",
    );
    expect(resolvePullUrl("hf:user/repo/sub dir/m.gguf", []).href).toBe(
      "https://huggingface.co/user/repo/resolve/main/sub%20dir/m.gguf",
    );
  });

  test("bad hf: URIs, plain http and credentials are refused", () => {
    for (const input of [
      "hf:user/repo",
      "hf:user/repo/../x.gguf",
      "http://example.com/a.gguf",
      "ftp://x/a",
      "https://u:p@x/a",
    ]) {
      expect(() => resolvePullUrl(input, [])).toThrow();
    }
    expect(resolvePullUrl("http://mirror.lan/a.gguf", ["mirror.lan"]).href).toBe("http://mirror.lan/a.gguf");
  });
});
