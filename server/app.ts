import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { apiKeyLimiter, apiKeyRateLimit } from "./auth/keys/api-key-rate-limit.ts";
import { accountMenu } from "./auth/sessions/account-menu.ts";
import { authenticate } from "./auth/sessions/guard.ts";
import { errorResponse, handleError, handleNotFound } from "./console/error-handler.tsx";
import { apiBodyType } from "./http/api-body.ts";
import { bodyLimit } from "./http/body-limit.ts";
import { clientIp } from "./http/client-address.ts";
import { compressResponses } from "./http/compress.ts";
import { rejectControlCharacters } from "./http/control-characters.ts";
import { csrf } from "./http/csrf.ts";
import type { AppDeps, AppEnv } from "./http/env.ts";
import { methodNotAllowed } from "./http/method-not-allowed.ts";
import { setOpenApiSource } from "./http/openapi.ts";
import { requestLog } from "./http/request-log.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { staticFiles } from "./http/static-files.ts";
import { isDocumentUpload } from "./http/upload-limit.ts";
import { notificationBell } from "./notifications/bell.ts";
import { metricsEndpoint } from "./ops/metrics/endpoint.ts";
import { healthBanner } from "./ops/self-check/banner.ts";
import { mountRoutes } from "./routes.ts";
// Registers what settles invoices, timesheets and documents when their approval ends.
import "./work/approval-subjects.ts";

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
  // After static files, which answer with their precompressed copies.
  app.use(compressResponses());
  // Before authenticate(), which refuses any bearer token that is not an API key.
  app.get("/metrics", metricsEndpoint);
  app.use(bodyLimit(deps.config.maxBodyBytes, { except: isDocumentUpload }));
  app.use(clientIp(deps.config.trustedProxies, deps.config.baseUrl));
  app.use(csrf());
  app.use(authenticate());
  app.use(accountMenu());
  app.use(healthBanner());
  app.use(notificationBell());
  app.use(apiKeyRateLimit(apiKeyLimiter(deps.config.apiKeyRequestsPerMinute)));
  app.use("/api/*", apiBodyType());
  app.use(rejectControlCharacters({ except: isDocumentUpload }));

  mountRoutes(app);

  extend?.(app);
  // The OpenAPI document is built from these routes on its first request.
  setOpenApiSource(deps, app);
  // A path that exists under other methods is a 405 with Allow (or OPTIONS' 204), not a 404.
  app.notFound(methodNotAllowed(app, { notFound: handleNotFound, errorResponse }));
  app.onError(handleError);
  return app;
}
