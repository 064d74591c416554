import { Hono } from "hono";
import { HomePage } from "../../views/pages/home.tsx";
import { SetupPendingPage } from "../../views/pages/setup/setup-pending.tsx";
import type { AppEnv } from "../http/env.ts";
import { renderPage } from "../http/render.tsx";
import { isSetupComplete } from "./state.ts";

/** The landing route and the first-boot page: a box that is not set up leads everyone to /setup. */
export const setupConsole = new Hono<AppEnv>()
  .get("/", (c) => {
    if (!isSetupComplete(c.var.deps.db)) return c.redirect("/setup", 302);
    return renderPage(c, { title: "Pulse", current: "/" }, <HomePage organisationName={null} />);
  })
  .get("/setup", (c) => {
    if (isSetupComplete(c.var.deps.db)) return c.redirect("/", 302);
    return renderPage(c, { title: "Set up", bare: true }, <SetupPendingPage />);
  });
