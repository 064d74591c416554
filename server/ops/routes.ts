import { type Context, Hono } from "hono";
import { isLoopbackCaller } from "../http/client-address.ts";
import type { AppEnv } from "../http/env.ts";
import { checkReadiness } from "./readiness.ts";

/**
 * Versions, free disk and check messages help an attacker more than a load balancer: they go to
 * a process on this machine talking to Opsbox directly, or to a signed-in admin.
 */
function maySeeReadinessDetails(c: Context<AppEnv>): boolean {
  if (isLoopbackCaller(c)) return true;
  const auth = c.var.auth;
  if (!auth || auth.pending) return false;
  return auth.user.isInstanceAdmin || auth.permissions.has("settings.manage");
}

/** Probes for systemd, Caddy and monitoring; public, cheap, never cached. */
export const opsRoutes = new Hono<AppEnv>()
  .get("/healthz", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ status: "ok" });
  })
  .get("/readyz", (c) => {
    const readiness = checkReadiness(c.var.deps);
    c.header("Cache-Control", "no-store");
    const status = readiness.status === "ok" ? 200 : 503;
    return c.json(maySeeReadinessDetails(c) ? readiness : { status: readiness.status }, status);
  });
