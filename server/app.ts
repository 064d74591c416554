import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { aiApi, aiConsole } from "./ai/routes.ts";
import { auditApi } from "./audit/api.ts";
import { auditConsole } from "./audit/console.tsx";
import { accountMenu } from "./auth/account-menu.ts";
import { authApi } from "./auth/api.ts";
import { apiKeyLimiter, apiKeyRateLimit } from "./auth/api-key-rate-limit.ts";
import { apiKeysApi } from "./auth/api-keys-api.ts";
import { apiKeysConsole } from "./auth/api-keys-console.tsx";
import { authConsole } from "./auth/console.tsx";
import { authenticate } from "./auth/guard.ts";
import { identitySettingsConsole } from "./auth/settings-console.tsx";
import { ssoRoutes } from "./auth/sso.ts";
import { twoFactorApi } from "./auth/two-factor-api.ts";
import { usersApi } from "./auth/users-api.ts";
import { openApiRoutes } from "./console/api-docs.ts";
import { errorResponse, handleError, handleNotFound } from "./console/error-handler.tsx";
import { eventsApi } from "./events/api.ts";
import { apiBodyType } from "./http/api-body.ts";
import { bodyLimit } from "./http/body-limit.ts";
import { clientIp } from "./http/client-address.ts";
import { rejectControlCharacters } from "./http/control-characters.ts";
import { csrf } from "./http/csrf.ts";
import type { AppDeps, AppEnv } from "./http/env.ts";
import { methodNotAllowed } from "./http/method-not-allowed.ts";
import { setOpenApiSource } from "./http/openapi.ts";
import { requestLog } from "./http/request-log.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { staticFiles } from "./http/static-files.ts";
import { isDocumentUpload } from "./http/upload-limit.ts";
import { knowledgeApi, knowledgeConsole } from "./knowledge/routes.ts";
import { outboxConsole } from "./mail/console.tsx";
import { opsRoutes } from "./ops/routes.ts";
import { setupApi } from "./setup/api.ts";
import { setupConsole } from "./setup/console.tsx";
import { organizationsApi } from "./setup/organizations-api.ts";
import { workApi, workConsole } from "./work/routes.ts";
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
  app.use(bodyLimit(deps.config.maxBodyBytes, { except: isDocumentUpload }));
  app.use(clientIp(deps.config.trustedProxies));
  app.use(csrf());
  app.use(authenticate());
  app.use(accountMenu());
  app.use(apiKeyRateLimit(apiKeyLimiter(deps.config.apiKeyRequestsPerMinute)));
  app.use("/api/*", apiBodyType());
  app.use(rejectControlCharacters({ except: isDocumentUpload }));

  app.route("/", opsRoutes);
  // JSON API, /api/v1
  app.route("/api/v1", setupApi);
  app.route("/api/v1", authApi);
  app.route("/api/v1", twoFactorApi);
  app.route("/api/v1", usersApi);
  app.route("/api/v1", organizationsApi);
  app.route("/api/v1", apiKeysApi);
  app.route("/api/v1", auditApi);
  app.route("/api/v1", workApi);
  app.route("/api/v1", knowledgeApi);
  app.route("/api/v1", aiApi);
  app.route("/api/v1", eventsApi);
  app.route("/", openApiRoutes);
  // Console pages
  app.route("/", setupConsole);
  app.route("/", authConsole);
  app.route("/", identitySettingsConsole);
  app.route("/", apiKeysConsole);
  app.route("/", auditConsole);
  app.route("/", outboxConsole);
  app.route("/", workConsole);
  app.route("/", knowledgeConsole);
  app.route("/", aiConsole);
  // Single sign-on has both: provider settings under /api/v1 and the browser redirects.
  app.route("/", ssoRoutes);

  extend?.(app);
  // The OpenAPI document is built from these routes on its first request.
  setOpenApiSource(deps, app);
  // A path that exists under other methods is a 405 with Allow (or OPTIONS' 204), not a 404.
  app.notFound(methodNotAllowed(app, { notFound: handleNotFound, errorResponse }));
  app.onError(handleError);
  return app;
}
