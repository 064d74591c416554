import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { apiBodyType } from "./http/api-body.ts";
import { bodyLimit } from "./http/body-limit.ts";
import type { AppDeps, AppEnv } from "./http/env.ts";
import { handleError, handleNotFound } from "./http/error-handler.tsx";
import { requestLog } from "./http/request-log.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { staticFiles } from "./http/static-files.ts";
import { opsRoutes } from "./ops/routes.ts";
import { setupConsole } from "./setup/console.tsx";

export type App = Hono<AppEnv>;

/**
 * Builds the whole HTTP surface: middleware in the order every request meets it, then the
 * routes of every capability. `extend` lets tests and tools mount extra routes before the
 * catch-all handlers.
 */
export function createApp(deps: AppDeps, extend?: (app: App) => void): App {
  const app = new Hono<AppEnv>();

  app.use(requestId({ limitLength: 128 }));
  app.use(requestLog(deps));
  app.use(securityHeaders({ https: deps.config.baseUrl.startsWith("https:") }));
  app.get("/static/*", staticFiles());
  app.use(bodyLimit(deps.config.maxBodyBytes));
  app.use("/api/*", apiBodyType());

  app.route("/", opsRoutes);
  app.route("/", setupConsole);

  extend?.(app);
  app.notFound(handleNotFound);
  app.onError(handleError);
  return app;
}
