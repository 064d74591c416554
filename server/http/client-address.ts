import { BlockList, isIP } from "node:net";
import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "hono/bun";
import type { AppEnv } from "./env.ts";
import { proxyMismatch } from "./proxy-hints.ts";

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** The socket peer's address; "unknown" under app.request(), which has no socket. */
export function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * Whether the caller is a process on this machine talking to Opsbox directly: the socket peer is
 * loopback and no proxy forwarded the request (Caddy on this box adds X-Forwarded-For, so a
 * visitor it forwards is never a loopback caller, trusted proxy or not).
 */
export function isLoopbackCaller(c: Context): boolean {
  if (c.req.header("X-Forwarded-For") !== undefined || c.req.header("Forwarded") !== undefined) return false;
  return LOOPBACK.test(peerAddress(c));
}

/** A matcher for OPSBOX_TRUSTED_PROXIES (validated `address/bits` entries); IPv4-mapped peers match IPv4 ranges. */
export function trustedProxyList(ranges: string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const [address = "", bits = ""] = range.split("/");
    list.addSubnet(address, Number(bits), isIP(address) === 6 ? "ipv6" : "ipv4");
  }
  return list;
}

/** Whether the socket peer is one of the trusted proxies. */
function isTrustedPeer(peer: string, trusted: BlockList): boolean {
  const family = isIP(peer);
  return family !== 0 && trusted.check(peer, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address: the socket peer, or the last X-Forwarded-For hop when the peer is one of
 * the trusted proxies. With none configured (the default) the header is ignored, whoever sends it.
 */
export function clientAddress(c: Context, trusted: BlockList, peer = peerAddress(c)): string {
  if (!isTrustedPeer(peer, trusted)) return peer;
  const last = c.req.header("X-Forwarded-For")?.split(",").at(-1)?.trim();
  return last && last.length <= 64 ? last : peer;
}

/**
 * Sets `clientIp` for the rate limits and the audit log, and warns once when a request shows a
 * proxy that the settings do not match (see proxyMismatch).
 */
export function clientIp(trustedProxies: string[], baseUrl: string): MiddlewareHandler<AppEnv> {
  const trusted = trustedProxyList(trustedProxies);
  let warned = false;
  return async function clientIp(c, next) {
    const peer = peerAddress(c);
    c.set("clientIp", clientAddress(c, trusted, peer));
    if (!warned) {
      const mismatch = proxyMismatch({
        fromTrustedProxy: isTrustedPeer(peer, trusted),
        trustsAnyProxy: trustedProxies.length > 0,
        loopbackPeer: LOOPBACK.test(peer),
        forwardedFor: c.req.header("X-Forwarded-For"),
        forwardedProto: c.req.header("X-Forwarded-Proto"),
        baseUrl,
      });
      if (mismatch) {
        warned = true;
        c.var.log.warn(mismatch);
      }
    }
    await next();
  };
}
