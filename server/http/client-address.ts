import type { Context } from "hono";
import { getConnInfo } from "hono/bun";
import type { Config } from "../config.ts";

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The client's address: the socket peer, or the last X-Forwarded-For hop when the peer is a
 * trusted proxy (by default only one on this machine, which is where Caddy runs).
 */
export function clientAddress(c: Context, trustProxy: Config["trustProxy"]): string {
  let peer = "unknown";
  try {
    peer = getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // app.request() in tests has no socket.
  }
  const trusted = trustProxy === "always" || (trustProxy === "loopback" && LOOPBACK.test(peer));
  if (!trusted) return peer;
  const forwarded = c.req.header("X-Forwarded-For");
  const last = forwarded?.split(",").at(-1)?.trim();
  return last && last.length <= 64 ? last : peer;
}
