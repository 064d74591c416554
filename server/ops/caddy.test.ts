import { afterAll, beforeAll, describe, expect } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { authThrottles } from "../../models/identity.ts";
import { createApiKey } from "../auth/keys/api-keys.ts";
import { permissions } from "../auth/roles/permissions.ts";
import { publishEvent } from "../events/publish.ts";
import { openSse } from "../events/sse-test-kit.ts";
import { openEventStreamCount } from "../events/stream.ts";
import { adaptCaddyfile, caddyPorts, startCaddy, type TestCaddy } from "../testing/caddy.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { setUpBox } from "../testing/identity.ts";
import { signIn } from "../testing/sign-in.ts";
import { missingTool, testWith } from "../testing/tools.ts";

// The repository's Caddyfile with the real caddy (tls internal, loopback high ports) in front of
// a real Opsbox on a loopback socket, configured as an appliance behind Caddy is.
let box: TestApp;
let caddy: TestCaddy;
let proxied: TestApp;
let orgId = "";
let apiKey = "";

describe("behind the Caddyfile", () => {
  beforeAll(async () => {
    if (missingTool("caddy")) return;
    const ports = caddyPorts();
    box = await startTestApp({
      env: { OPSBOX_BASE_URL: `https://127.0.0.1:${ports.https}`, OPSBOX_TRUSTED_PROXIES: "127.0.0.1,::1" },
      extend: (app) =>
        app.get("/test/forwarded", (c) =>
          c.json({
            clientIp: c.var.clientIp,
            forwardedFor: c.req.header("X-Forwarded-For") ?? null,
            forwardedProto: c.req.header("X-Forwarded-Proto") ?? null,
          }),
        ),
    });
    const admin = await setUpBox(box);
    orgId = admin.orgId;
    apiKey = createApiKey(
      box.deps.db,
      { orgId, userId: admin.adminId, name: "caddy", scopes: [...permissions], expiresAt: null },
      new Set(permissions),
    ).key;
    caddy = await startCaddy({ upstream: new URL(box.url).host, ports });
    // The same box as a browser on the LAN sees it: every request through Caddy over https.
    proxied = { ...box, url: caddy.httpsUrl, fetch: caddy.fetch };
  });
  afterAll(async () => {
    await caddy?.stop();
    await box?.close();
  });

  testWith("caddy", "https answers with a certificate from Caddy's local CA, with HSTS", async () => {
    const response = await caddy.fetch("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("Strict-Transport-Security")).toContain("max-age=");
    // Without the root the certificate is refused: it really is Caddy's own CA.
    await expect(fetch(new URL("/healthz", caddy.httpsUrl))).rejects.toThrow();
  });

  testWith("caddy", "plain http is redirected to the same path over https", async () => {
    const response = await fetch(new URL("/sign-in?next=%2Ftasks", caddy.httpUrl), { redirect: "manual" });
    expect(response.status).toBe(308);
    expect(response.headers.get("Location")).toBe(`${caddy.httpsUrl}/sign-in?next=%2Ftasks`);
  });

  testWith(
    "caddy",
    "responses are compressed: zstd by Caddy, and what Opsbox encoded passes through once",
    async () => {
      const zstd = await caddy.fetch("/api/v1/openapi.json", {
        headers: { "Accept-Encoding": "zstd" },
        decompress: false,
      } as BunFetchRequestInit);
      expect(zstd.headers.get("Content-Encoding")).toBe("zstd");
      const document = JSON.parse(Bun.zstdDecompressSync(new Uint8Array(await zstd.arrayBuffer())).toString("utf8"));
      expect(document.openapi).toStartWith("3.1");

      const gzip = await caddy.fetch("/api/v1/openapi.json", {
        headers: { "Accept-Encoding": "gzip" },
        decompress: false,
      } as BunFetchRequestInit);
      expect(gzip.headers.get("Content-Encoding")).toBe("gzip");
      const unzipped = new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(await gzip.arrayBuffer())));
      expect(JSON.parse(unzipped).openapi).toStartWith("3.1");
    },
  );

  testWith("caddy", "an event stream arrives through Caddy event by event, not buffered", async () => {
    const stream = await openSse(proxied, "/api/v1/events", { Authorization: `Bearer ${apiKey}` });
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get("Content-Type")).toStartWith("text/event-stream");
      expect(stream.response.headers.get("Content-Encoding")).toBeNull();
      for (const summary of ["first", "second", "third"]) {
        publish(summary);
        // Each event must be through before the next exists: a buffering proxy fails here.
        const messages = await stream.waitFor(["first", "second", "third"].indexOf(summary) + 1, 3000);
        expect(JSON.parse(messages.at(-1)?.data ?? "{}").summary).toBe(summary);
      }
    } finally {
      await stream.close();
    }
    // The stream ends in Opsbox once the client has gone, not at Caddy's next write to it.
    await untilOpenStreams(0);
  });

  testWith("caddy", "signing in through Caddy sets the __Host- session cookie, Secure and HttpOnly", async () => {
    const { response, cookie } = await signIn(proxied, "admin@example.com");
    expect(cookie).toStartWith("__Host-opsbox_session=");
    const header = response.headers.getSetCookie().find((line) => line.startsWith("__Host-opsbox_session="));
    expect(header).toContain("Secure");
    expect(header).toContain("HttpOnly");
    expect(header).toContain("Path=/");
    expect(header).not.toContain("Domain=");
  });

  testWith(
    "caddy",
    "Caddy passes on the client's address and https; a forged X-Forwarded-For is replaced",
    async () => {
      const forwarded = await caddy.fetch("/test/forwarded", {
        headers: { "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http" },
      });
      expect(await forwarded.json()).toEqual({
        clientIp: "127.0.0.1",
        forwardedFor: "127.0.0.1",
        forwardedProto: "https",
      });

      // What the rate limits and the audit log see of a failed sign-in that claims another address.
      const response = await caddy.fetch("/api/v1/auth/login", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Forwarded-For": "203.0.113.9" },
        body: JSON.stringify({ email: "nobody@example.com", password: "not the password at all" }),
      });
      expect(response.status).toBe(401);
      const throttled = box.deps.db
        .select({ key: authThrottles.key })
        .from(authThrottles)
        .all()
        .map((row) => row.key)
        .filter((key) => key.startsWith("address:"));
      expect(throttled).toEqual(["address:127.0.0.1"]);
      const audited = box.deps.db
        .select({ ip: auditEvents.ipAddress })
        .from(auditEvents)
        .where(eq(auditEvents.action, "auth.sign_in_failed"))
        .all();
      expect(audited).toEqual([{ ip: "127.0.0.1" }]);
      // The settings the README gives for Caddy are what the box expects: it warns of no mismatch.
      expect(box.logs.filter((line) => line.level === "warn" && String(line.msg).includes("proxy"))).toEqual([]);
    },
  );
});

describe("the Caddyfile for a public name", () => {
  testWith(
    "caddy",
    "OPSBOX_TLS=acme asks an ACME CA for the domain on 443, redirects 80, proxies to 127.0.0.1:3000",
    async () => {
      const config = await adaptCaddyfile({
        OPSBOX_DOMAIN: "opsbox.example.com",
        OPSBOX_ACME_EMAIL: "ops@example.com",
      });
      const text = JSON.stringify(config);
      const http = (config.apps as { http: { http_port?: number; servers: Record<string, { listen: string[] }> } })
        .http;
      expect(Object.values(http.servers).map((server) => server.listen)).toEqual([[":443"]]);
      expect(http.http_port ?? 80).toBe(80);
      const tls = config.apps as { tls: { automation: { policies: { subjects: string[]; issuers: unknown[] }[] } } };
      expect(tls.tls.automation.policies).toEqual([
        {
          subjects: ["opsbox.example.com"],
          issuers: [
            { email: "ops@example.com", module: "acme" },
            { email: "ops@example.com", module: "zerossl" },
          ],
        },
      ]);
      expect(text).toContain('"dial":"127.0.0.1:3000"');
      expect(text).toContain('"max_size":67108864');
      expect(text).toContain('"prefer":["zstd","gzip"]');
      // Caddy's admin endpoint stays on loopback for `systemctl reload caddy`.
      expect(config.admin).toEqual({ listen: "localhost:2019" });
    },
  );

  testWith("caddy", "an OPSBOX_TLS other than acme or internal stops caddy with the setting named", async () => {
    await expect(adaptCaddyfile({ OPSBOX_DOMAIN: "opsbox.example.com", OPSBOX_TLS: "letsencrypt" })).rejects.toThrow(
      "tls-letsencrypt",
    );
  });
});

async function untilOpenStreams(count: number): Promise<void> {
  for (let tries = 0; tries < 40 && openEventStreamCount() !== count; tries++) await Bun.sleep(25);
  expect(openEventStreamCount()).toBe(count);
}

function publish(summary: string): void {
  box.deps.db.transaction((tx) =>
    publishEvent(
      tx,
      { orgId, userId: null },
      { type: "task.updated", subjectType: "task", subjectId: "tsk_1", summary },
    ),
  );
}
