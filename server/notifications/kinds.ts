import {
  type NotificationChannel,
  type NotificationChoices,
  type NotificationKind,
  notificationKinds,
} from "../../models/notifications.ts";
import type { Permission } from "../auth/roles/permissions.ts";

type KindInfo = {
  /** How the preferences call it. */
  label: string;
  /** Who it can reach: the preferences offer it only to people with this permission. */
  needs: Permission;
  /** The organisation's defaults until an admin changes them. */
  defaults: Record<NotificationChannel, boolean>;
};

/** Every kind of notification, in the order the preferences list them. */
export const kindInfo: Record<NotificationKind, KindInfo> = {
  task_assigned: {
    label: "A task is assigned to me",
    needs: "workspace.read",
    defaults: { console: true, email: true },
  },
  task_comment: {
    label: "A comment on my task, or a mention (@name) of me",
    needs: "workspace.read",
    defaults: { console: true, email: true },
  },
  approval_waiting: {
    label: "An approval waits on me",
    needs: "workspace.read",
    defaults: { console: true, email: true },
  },
  approval_decided: {
    label: "My request is approved or rejected",
    needs: "workspace.read",
    defaults: { console: true, email: true },
  },
  approval_comment: {
    label: "A comment on a request of mine or waiting on me, or a mention (@name) of me there",
    needs: "workspace.read",
    defaults: { console: true, email: true },
  },
  invoice_status: {
    label: "An invoice is sent or paid (people who manage invoices)",
    needs: "invoices.manage",
    defaults: { console: true, email: false },
  },
  timesheet_decided: {
    label: "My timesheet is approved or returned",
    needs: "tasks.write",
    defaults: { console: true, email: true },
  },
  broadcast: {
    label: "A broadcast to my team, my role or everyone",
    needs: "workspace.read",
    defaults: { console: true, email: true },
  },
  agents: {
    label: "An agent tells me something (a stuck task of mine, a bill to review)",
    needs: "workspace.read",
    defaults: { console: true, email: true },
  },
  daily_digest: {
    label: "My daily digest (due and overdue tasks, approvals, stuck tasks, changes on my projects)",
    needs: "workspace.read",
    defaults: { console: false, email: true },
  },
  timesheet_draft: {
    label: "My week's timesheet draft is ready",
    needs: "tasks.write",
    defaults: { console: true, email: true },
  },
};

/** The box's defaults: what an organisation starts with. */
export function builtInDefaults(): NotificationChoices {
  const choices = {} as NotificationChoices;
  for (const kind of notificationKinds) choices[kind] = { ...kindInfo[kind].defaults };
  return choices;
}

/** `stored` over `base`, kind by kind and channel by channel (stored JSON may miss kinds added later). */
export function choicesOver(
  base: NotificationChoices,
  stored: Partial<NotificationChoices> | null,
): NotificationChoices {
  const choices = {} as NotificationChoices;
  for (const kind of notificationKinds) {
    const mine = stored?.[kind];
    choices[kind] = {
      console: typeof mine?.console === "boolean" ? mine.console : base[kind].console,
      email: typeof mine?.email === "boolean" ? mine.email : base[kind].email,
    };
  }
  return choices;
}

/** The kinds that can reach someone with these permissions. */
export function kindsFor(permissions: ReadonlySet<Permission>): NotificationKind[] {
  return notificationKinds.filter((kind) => permissions.has(kindInfo[kind].needs));
}
