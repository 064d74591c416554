import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { ssoConsole } from "./sso-console.tsx";
import { ssoFlowRoutes } from "./sso-flow.tsx";
import { ssoProvidersApi } from "./sso-providers-api.ts";

export { listSignInProviders } from "./sso-providers.ts";

/** Single sign-on: provider settings (API and console) and the OAuth start/callback routes. */
export const ssoRoutes = new Hono<AppEnv>()
  .route("/api/v1", ssoProvidersApi)
  .route("/", ssoConsole)
  .route("/", ssoFlowRoutes);
