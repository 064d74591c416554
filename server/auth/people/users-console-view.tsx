/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { UsersSettings, UsersSettingsPage } from "../../../views/pages/settings/users.tsx";
import type { Flash } from "../../../views/pages/settings/users-types.ts";
import { renderPage } from "../../console/render.tsx";
import { organizationSwitcher } from "../../console/settings-frame.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { type UsersPageState, usersPageProps } from "./console-props.ts";

/** Answers htmx with the page's content block, a plain form post or a link with the whole page. */
export function renderUsersPage(
  c: Context<AppEnv>,
  state: UsersPageState = {},
  status: ContentfulStatusCode = 200,
): Response | Promise<Response> {
  const props = usersPageProps(c, state);
  if (isHtmxRequest(c) && c.req.method === "POST") return c.html(<UsersSettings {...props} />, status);
  return renderPage(
    c,
    { title: "Users and roles", current: "/settings/users" },
    <UsersSettingsPage {...props} switcher={organizationSwitcher(c)} />,
    status,
  );
}

/**
 * Runs a change and answers with the page: a flash on success; the expected refusals (last
 * admin, beyond your own role, an unknown role) as an error flash with their status. Anything
 * else (404 for another organisation's row) goes to the error handler.
 */
export function changeAndRender(c: Context<AppEnv>, change: () => string): Response | Promise<Response> {
  try {
    return renderUsersPage(c, { flash: { kind: "notice", text: change() } });
  } catch (error) {
    if (!(error instanceof AppError) || !["conflict", "forbidden", "validation_failed"].includes(error.code)) {
      throw error;
    }
    const flash: Flash = { kind: "error", text: error.details[0]?.message ?? error.message };
    return renderUsersPage(c, { flash }, error.status as ContentfulStatusCode);
  }
}
