/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { notificationKinds } from "../../models/notifications.ts";
import { NotificationListPage } from "../../views/pages/notifications/list.tsx";
import { NotificationPreferencesPage } from "../../views/pages/notifications/preferences.tsx";
import { NotificationDefaultsPage } from "../../views/pages/settings/notifications.tsx";
import { renderPage } from "../console/render.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import { redirectTo } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { type FormSpec, validateForm } from "../http/validate-form.ts";
import { choicesFromForm, defaultsPageProps, listPageProps, preferencesPageProps } from "./console-props.ts";
import { kindsFor } from "./kinds.ts";
import { notificationStream } from "./live.tsx";
import { setMyPreferences, setOrganizationDefaults } from "./preferences.ts";
import { notificationListQuery, preferencesInput } from "./schemas.ts";
import { markAllNotificationsRead, markNotificationRead } from "./service.ts";

type Ctx = Context<AppEnv>;
type State = { notice?: string | null; error?: string | null };

function listPage(c: Ctx, query: { limit: number; cursor?: string | undefined; unread?: boolean }) {
  return renderPage(c, { title: "Notifications" }, <NotificationListPage {...listPageProps(c, query)} />);
}

/** After marking read: htmx gets the list again, a plain form a redirect to it. */
function backToList(c: Ctx) {
  return redirectTo(c, "/notifications");
}

/** /notifications: the list, marking read, opening a record, and the bell's live stream. */
export const notificationsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("workspace.read"), validate("query", notificationListQuery), (c) => {
    const query = c.req.valid("query");
    return listPage(c, { limit: query.limit, cursor: query.cursor, unread: query.unread === "true" });
  })
  .get("/stream", requirePermission("workspace.read"), (c) => notificationStream(c))
  .post("/read-all", requirePermission("workspace.read"), (c) => {
    markAllNotificationsRead(serviceContext(c));
    return backToList(c);
  })
  .post("/:id/read", requirePermission("workspace.read"), (c) => {
    markNotificationRead(serviceContext(c), c.req.param("id"));
    return backToList(c);
  })
  .post("/:id/open", requirePermission("workspace.read"), (c) => {
    // The stored link, never one from the request: no open redirect.
    const notification = markNotificationRead(serviceContext(c), c.req.param("id"));
    return redirectTo(c, notification.link);
  });

function preferencesPage(c: Ctx, state: State = {}, status: ContentfulStatusCode = 200) {
  return renderPage(
    c,
    { title: "Notifications", current: "/account" },
    <NotificationPreferencesPage {...preferencesPageProps(c, state)} />,
    status,
  );
}

type ChoiceValues = { choices: Record<string, { console: boolean; email: boolean }>; useDefaults: boolean };

const preferencesForm: FormSpec<ChoiceValues> = {
  values: (form, c) => ({
    choices: choicesFromForm(form, kindsFor(serviceContext(c).permissions)),
    useDefaults: form.text("useOrganizationDefaults") === "true",
  }),
  input: ({ choices, useDefaults }) => (useDefaults ? { useOrganizationDefaults: true } : { choices }),
  invalid: (c, _values, refusal) =>
    preferencesPage(c, { error: Object.values(refusal.errors)[0] ?? "Not saved." }, refusal.status),
};

/** /account/notifications: my own choices in my current organisation. */
export const notificationPreferencesConsole = new Hono<AppEnv>()
  .get("/", requirePermission("workspace.read"), (c) => preferencesPage(c))
  .post("/", requirePermission("workspace.read"), validateForm(preferencesInput, preferencesForm), (c) => {
    const { input } = c.req.valid("form");
    setMyPreferences(serviceContext(c), input);
    const notice = input.useOrganizationDefaults
      ? "You follow the organisation's defaults again."
      : "Your notification choices are saved.";
    return preferencesPage(c, { notice });
  });

function defaultsPage(c: Ctx, state: State = {}, status: ContentfulStatusCode = 200) {
  return renderPage(
    c,
    { title: "Notifications", current: "/settings/users" },
    <NotificationDefaultsPage {...defaultsPageProps(c, state)} switcher={organizationSwitcher(c)} />,
    status,
  );
}

const defaultsForm: FormSpec<ChoiceValues["choices"]> = {
  values: (form) => choicesFromForm(form, notificationKinds),
  input: (choices) => ({ choices }),
  invalid: (c, _values, refusal) =>
    defaultsPage(c, { error: Object.values(refusal.errors)[0] ?? "Not saved." }, refusal.status),
};

/** Settings → Notifications: the organisation's defaults (settings.manage). */
export const notificationDefaultsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("settings.manage"), (c) => defaultsPage(c))
  .post("/", requirePermission("settings.manage"), validateForm(preferencesInput, defaultsForm), (c) => {
    const { input } = c.req.valid("form");
    setOrganizationDefaults(serviceContext(c), input.choices ?? {});
    return defaultsPage(c, { notice: "The notification defaults are saved." });
  });
