import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Server } from "bun";
import { isNonPublicAddress } from "./address-ranges.ts";
import { fetchOutbound, OutboundRequestError } from "./outbound-fetch.ts";

// A real server on loopback, standing in for an on-prem service (and for anything an attacker would aim at).
let server: Server<undefined>;
let origin: string;
const seen: { path: string; host: string | null; authorization: string | null }[] = [];

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      seen.push({
        path: url.pathname,
        host: request.headers.get("Host"),
        authorization: request.headers.get("Authorization"),
      });
      const to = url.searchParams.get("to");
      if (url.pathname === "/redirect" && to) return new Response(null, { status: 302, headers: { Location: to } });
      if (url.pathname === "/loop") return new Response(null, { status: 302, headers: { Location: "/loop" } });
      if (url.pathname === "/big") return new Response("x".repeat(4096));
      if (url.pathname === "/slow") {
        await Bun.sleep(1000);
        return new Response("late");
      }
      return Response.json({ ok: true, path: url.pathname });
    },
  });
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.stop(true));

async function refusal(promise: Promise<unknown>): Promise<OutboundRequestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OutboundRequestError) return error;
    throw error;
  }
  throw new Error("the request was not refused");
}

describe("address ranges", () => {
  test.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.10",
    "100.64.0.1",
    "169.254.169.254",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "fe80::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "not an address",
  ])("%s is not public", (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  test.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])(
    "%s is public",
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );
});

describe("fetchOutbound", () => {
  test("refuses a loopback address unless an admin allowed the host", async () => {
    const error = await refusal(fetchOutbound(`${origin}/hello`));
    expect(error.reason).toBe("non_public_address");
    expect(error.message).toContain("127.0.0.1");
    expect(seen.some((request) => request.path === "/hello")).toBe(false);

    const allowed = await fetchOutbound(`${origin}/hello`, { allowedPrivateHosts: ["127.0.0.1"] });
    expect(allowed.status).toBe(200);
    expect(allowed.json()).toEqual({ ok: true, path: "/hello" });
  });

  test("judges a host name by the addresses it resolves to", async () => {
    const error = await refusal(fetchOutbound(`http://localhost:${server.port}/by-name`));
    expect(error.reason).toBe("non_public_address");
    const allowed = await fetchOutbound(`http://localhost:${server.port}/by-name`, {
      allowedPrivateHosts: ["LocalHost"],
    });
    expect(allowed.status).toBe(200);
    // It dialled the checked address but still named the host it was asked for.
    expect(seen.find((request) => request.path === "/by-name")?.host).toBe(`localhost:${server.port}`);
  });

  test("never follows a redirect to a private address that was not allowed", async () => {
    for (const target of [
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/",
      `http://localhost:${server.port}/x`,
    ]) {
      const error = await refusal(
        fetchOutbound(`${origin}/redirect?to=${encodeURIComponent(target)}`, { allowedPrivateHosts: ["127.0.0.1"] }),
      );
      expect(error.reason).toBe("non_public_address");
    }
    expect(seen.some((request) => request.path === "/x")).toBe(false);
  });

  test("follows at most three redirects", async () => {
    const followed = await fetchOutbound(`${origin}/redirect?to=/landed`, { allowedPrivateHosts: ["127.0.0.1"] });
    expect(followed.json()).toEqual({ ok: true, path: "/landed" });
    expect(followed.url).toBe(`${origin}/landed`);
    const error = await refusal(fetchOutbound(`${origin}/loop`, { allowedPrivateHosts: ["127.0.0.1"] }));
    expect(error.reason).toBe("too_many_redirects");
  });

  test("drops the Authorization header when a redirect leaves the origin", async () => {
    const target = `http://localhost:${server.port}/other-origin`;
    await fetchOutbound(`${origin}/redirect?to=${encodeURIComponent(target)}`, {
      headers: { Authorization: "Bearer top-secret" },
      allowedPrivateHosts: ["127.0.0.1", "localhost"],
    });
    expect(seen.findLast((request) => request.path === "/redirect")?.authorization).toBe("Bearer top-secret");
    expect(seen.find((request) => request.path === "/other-origin")?.authorization).toBeNull();
  });

  test("caps the response size and the time it may take", async () => {
    const allowedPrivateHosts = ["127.0.0.1"];
    expect((await refusal(fetchOutbound(`${origin}/big`, { allowedPrivateHosts, maxBytes: 1000 }))).reason).toBe(
      "too_large",
    );
    expect((await refusal(fetchOutbound(`${origin}/slow`, { allowedPrivateHosts, timeoutMs: 200 }))).reason).toBe(
      "timeout",
    );
  });

  test("refuses other schemes and credentials in the URL", async () => {
    for (const url of ["file:///etc/passwd", "ftp://example.com/", "http://user:pass@example.com/", "not a url"]) {
      expect((await refusal(fetchOutbound(url))).reason).toBe("bad_url");
    }
  });
});
