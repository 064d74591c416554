import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../testing/harness.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { formatWait, RateLimiter, rateLimit } from "./rate-limit.ts";

let box: TestApp;
beforeAll(async () => {
  const limiter = new RateLimiter(2, 60_000);
  box = await startInProcessApp({
    extend: (app) => {
      app.get(
        "/api/v1/test-limited",
        rateLimit(limiter, (c) => c.get("clientIp")),
        (c) => c.json({ ok: true }),
      );
    },
  });
});
afterAll(() => box.close());

// The test server trusts X-Forwarded-For from loopback, as it would from Caddy.
const from = (address: string) => ({ headers: { "X-Forwarded-For": address } });

describe("rate-limited routes", () => {
  test("send RateLimit-* headers and answer 429 with Retry-After past the limit", async () => {
    const first = await box.fetch("/api/v1/test-limited", from("198.51.100.1"));
    expect(first.status).toBe(200);
    expect(first.headers.get("RateLimit-Limit")).toBe("2");
    expect(first.headers.get("RateLimit-Remaining")).toBe("1");
    const reset = Number(first.headers.get("RateLimit-Reset"));
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(60);

    const second = await box.fetch("/api/v1/test-limited", from("198.51.100.1"));
    expect(second.headers.get("RateLimit-Remaining")).toBe("0");
    const third = await box.fetch("/api/v1/test-limited", from("198.51.100.1"));
    expect(third.status).toBe(429);
    const retryAfter = Number(third.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(third.headers.get("RateLimit-Remaining")).toBe("0");
    const body = (await third.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/^Too many requests\. Try again in \d+ seconds\.$/);
    expect(body.error.requestId).toBe(third.headers.get("X-Request-Id") ?? "missing");
  });

  test("each client has its own window", async () => {
    const other = await box.fetch("/api/v1/test-limited", from("198.51.100.2"));
    expect(other.status).toBe(200);
    expect(other.headers.get("RateLimit-Remaining")).toBe("1");
  });
});

describe("RateLimiter", () => {
  test("a new window starts once the old one has passed", () => {
    const limiter = new RateLimiter(1, 1000);
    expect(limiter.hit("k", 0).allowed).toBe(true);
    expect(limiter.hit("k", 500).allowed).toBe(false);
    expect(limiter.hit("k", 1000)).toEqual({ allowed: true, remaining: 0, resetAt: 2000 });
  });

  test("waits are said in seconds, minutes or hours", () => {
    expect(formatWait(30)).toBe("30 seconds");
    expect(formatWait(600)).toBe("10 minutes");
    expect(formatWait(7200)).toBe("2 hours");
  });
});
