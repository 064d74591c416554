import type { Context } from "hono";
import type { NotificationChoices, NotificationKind } from "../../models/notifications.ts";
import type { NotificationListProps } from "../../views/pages/notifications/list.tsx";
import type { PreferencesPageProps } from "../../views/pages/notifications/preferences.tsx";
import type { NotificationDefaultsProps } from "../../views/pages/settings/notifications.tsx";
import type { ChoiceRow } from "../../views/partials/notifications/choices-table.tsx";
import { shortTime } from "../console/render.tsx";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "../http/guards.ts";
import type { PostedForm } from "../http/validate-form.ts";
import { queryString } from "../tools/query-string.ts";
import { emailStatesOf } from "./email-state.ts";
import { kindInfo, kindsFor } from "./kinds.ts";
import { organizationDefaults, preferencesOf } from "./preferences.ts";
import { countUnread, listNotifications } from "./service.ts";

type Ctx = Context<AppEnv>;
type Notice = { notice?: string | null; error?: string | null };

function rowsOf(kinds: readonly NotificationKind[], choices: NotificationChoices): ChoiceRow[] {
  return kinds.map((kind) => ({ kind, label: kindInfo[kind].label, ...choices[kind] }));
}

/** The checkboxes of `kinds` as choices (an unticked box is off). */
export function choicesFromForm(form: PostedForm, kinds: readonly NotificationKind[]) {
  return Object.fromEntries(
    kinds.map((kind) => [kind, { console: form.has(`${kind}.console`), email: form.has(`${kind}.email`) }]),
  );
}

/** My preferences page: the kinds that can reach me, with what I (or my organisation) chose. */
export function preferencesPageProps(c: Ctx, state: Notice = {}): PreferencesPageProps {
  const ctx = serviceContext(c);
  const mine = preferencesOf(ctx.db, ctx.orgId, ctx.userId);
  return {
    organization: c.var.auth?.membership?.organization.name ?? "",
    rows: rowsOf(kindsFor(ctx.permissions), mine.choices),
    personal: mine.source === "personal",
    csrf: formCsrf(c),
    ...state,
  };
}

export function defaultsPageProps(c: Ctx, state: Notice = {}): NotificationDefaultsProps {
  const ctx = serviceContext(c);
  const defaults = organizationDefaults(ctx.db, ctx.orgId);
  return { rows: rowsOf(Object.keys(kindInfo) as NotificationKind[], defaults), csrf: formCsrf(c), ...state };
}

/** The list page: a page of my notifications, newest first, and the link to the next. */
export function listPageProps(c: Ctx, query: { limit: number; cursor?: string | undefined; unread?: boolean }) {
  const ctx = serviceContext(c);
  const page = listNotifications(ctx, query);
  const email = emailStatesOf(ctx.db, page.data);
  const props: NotificationListProps = {
    rows: page.data.map((row) => ({
      emailNotDelivered: email.get(row.id) === "not_delivered",
      id: row.id,
      title: row.title,
      at: shortTime(row.createdAt),
      read: row.readAt !== null,
      kindLabel: kindInfo[row.kind].label,
    })),
    unread: countUnread(ctx.db, ctx.orgId, ctx.userId),
    onlyUnread: query.unread === true,
    olderHref: page.nextCursor
      ? `/notifications${queryString({ cursor: page.nextCursor, unread: query.unread ? "true" : undefined })}`
      : null,
    csrf: formCsrf(c),
  };
  return props;
}
