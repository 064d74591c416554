import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { checkReadiness } from "./readiness.ts";

/** Probes for systemd, Caddy and monitoring; public, cheap, never cached. */
export const opsRoutes = new Hono<AppEnv>()
  .get("/healthz", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ status: "ok" });
  })
  .get("/readyz", (c) => {
    const readiness = checkReadiness(c.var.deps);
    c.header("Cache-Control", "no-store");
    return c.json(readiness, readiness.status === "ok" ? 200 : 503);
  });
