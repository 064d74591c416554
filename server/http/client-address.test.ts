import { afterEach, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { authThrottles } from "../../models/identity.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";

let box: TestApp | null = null;
afterEach(async () => {
  await box?.close();
  box = null;
});

/** A wrong password with a forged X-Forwarded-For: what the throttle and the audit log then name. */
async function failSignIn(
  app: TestApp,
  forwardedFor: string,
): Promise<{ throttled: string[]; audited: string | null }> {
  const response = await app.fetch("/api/v1/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Forwarded-For": forwardedFor },
    body: JSON.stringify({ email: "admin@example.com", password: "not the password at all" }),
  });
  expect(response.status).toBe(401);
  const db = app.deps.db;
  const throttled = db
    .select({ key: authThrottles.key })
    .from(authThrottles)
    .all()
    .map((row) => row.key)
    .filter((key) => key.startsWith("address:"));
  const audited = db
    .select({ ip: auditEvents.ipAddress })
    .from(auditEvents)
    .where(eq(auditEvents.action, "auth.sign_in_failed"))
    .get();
  return { throttled, audited: audited?.ip ?? null };
}

test("by default a loopback peer's X-Forwarded-For is ignored: rate limits and audit use the peer", async () => {
  // The harness names loopback as a proxy, as the appliance does; "" is the box's own default.
  box = await startTestApp({ env: { OPSBOX_TRUSTED_PROXIES: "" } });
  await setUpBox(box);
  const seen = await failSignIn(box, "203.0.113.9");
  expect(seen.throttled).toEqual(["address:127.0.0.1"]);
  expect(seen.audited).toBe("127.0.0.1");
});

test("a peer named in OPSBOX_TRUSTED_PROXIES is believed: the last X-Forwarded-For hop is the client", async () => {
  box = await startTestApp({ env: { OPSBOX_TRUSTED_PROXIES: "10.0.0.0/8, 127.0.0.1" } });
  await setUpBox(box);
  const seen = await failSignIn(box, "198.51.100.7, 203.0.113.9");
  expect(seen.throttled).toEqual(["address:203.0.113.9"]);
  expect(seen.audited).toBe("203.0.113.9");
});

test("a trusted range that does not hold the peer leaves the header ignored", async () => {
  box = await startTestApp({ env: { OPSBOX_TRUSTED_PROXIES: "10.0.0.0/8,fd00::/8" } });
  await setUpBox(box);
  const seen = await failSignIn(box, "203.0.113.9");
  expect(seen.throttled).toEqual(["address:127.0.0.1"]);
});

/** The warnings about the proxy the box has logged. */
function proxyWarnings(app: TestApp): string[] {
  return app.logs
    .filter((line) => line.level === "warn" && String(line.msg).includes("proxy"))
    .map((line) => String(line.msg));
}

test("a proxy on this machine with no OPSBOX_TRUSTED_PROXIES: one warning saying what to set, the header still ignored", async () => {
  box = await startInProcessApp({ env: { OPSBOX_TRUSTED_PROXIES: "" } });
  for (let i = 0; i < 3; i++) await box.fetch("/healthz", { headers: { "X-Forwarded-For": "203.0.113.9" } });
  const warnings = proxyWarnings(box);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain("set OPSBOX_TRUSTED_PROXIES=127.0.0.1,::1");
});

test("https through the trusted proxy while OPSBOX_BASE_URL is http: one warning to set the https URL", async () => {
  box = await startInProcessApp({ env: { OPSBOX_BASE_URL: "http://opsbox.example.com" } });
  const headers = { "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https" };
  for (let i = 0; i < 2; i++) await box.fetch("/healthz", { headers });
  const warnings = proxyWarnings(box);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain("set OPSBOX_BASE_URL to the https:// address");
});

test("settings that match the proxy (trusted loopback, https base URL) log no warning", async () => {
  box = await startInProcessApp({ env: { OPSBOX_BASE_URL: "https://opsbox.example.com" } });
  await box.fetch("/healthz", { headers: { "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https" } });
  await box.fetch("/healthz");
  expect(proxyWarnings(box)).toEqual([]);
});
