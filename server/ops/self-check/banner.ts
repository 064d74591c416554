import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { findHealthAlert } from "./health-state.ts";

/**
 * Lets console pages show the self-check's alert to the instance admin (render.tsx reads it on
 * full page loads only). Everyone else's requests pay one property check.
 */
export function healthBanner(): MiddlewareHandler<AppEnv> {
  return async function healthBanner(c, next) {
    if (c.var.auth?.user.isInstanceAdmin) c.set("healthAlert", () => findHealthAlert(c.var.deps.db));
    await next();
  };
}
