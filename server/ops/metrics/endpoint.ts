import type { Context } from "hono";
import { isLoopbackCaller } from "../../http/client-address.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { metricsTokenMatches } from "./metrics-token.ts";

const REFUSED = "Metrics are for this machine, or for a scraper with the metrics token from Settings → Monitoring.";

/**
 * GET /metrics. Not public: a process on this machine talking to Opsbox directly (the socket
 * peer is loopback and no proxy forwarded the request: X-Forwarded-For never counts), or a
 * caller with `Authorization: Bearer <metrics token>`. Mounted in app.ts before authenticate(),
 * which would refuse a bearer token that is not an API key.
 */
export async function metricsEndpoint(c: Context<AppEnv>): Promise<Response> {
  const { db, metrics } = c.var.deps;
  c.header("Cache-Control", "no-store");
  if (!isLoopbackCaller(c)) {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header("Authorization") ?? "")?.[1];
    if (!token || !metricsTokenMatches(db, token)) {
      throw new AppError("unauthenticated", REFUSED, [], { "WWW-Authenticate": 'Bearer realm="opsbox-metrics"' });
    }
  }
  return c.body(await metrics.render(), 200, { "Content-Type": metrics.contentType });
}
