/** What the Pulse shows: plain data, read by server/work/pulse and rendered by the views. */

export type PulseTask = {
  id: string;
  title: string;
  status: string;
  priority: string;
  dueAt: Date | null;
  lastActivityAt: Date;
  projectCode: string | null;
  /** Shown in the organisation-wide "no activity" list; null = unassigned. */
  assigneeName: string | null;
};

/** A short list and whether more exist than it shows. */
export type PulseList<Item> = { items: Item[]; more: boolean };

export type PulseApproval = {
  id: string;
  title: string;
  stepName: string;
  requesterName: string | null;
  amount: number | null;
  currency: string | null;
  createdAt: Date;
  href: string;
};

export type PulseInvoice = {
  id: string;
  number: string;
  customerName: string;
  currency: string;
  total: number;
  dueDate: string;
};

/** How an agent's run ended, for the "Agent activity" section. */
export type PulseAgentRun = {
  agentId: string;
  agentName: string;
  /** `stopped`: quarantined after failing too often. */
  outcome: "finished" | "failed" | "stopped";
  /** What it did ("Flagged 3 task(s) as stuck") or why it failed. */
  text: string | null;
  at: Date;
};

export type PulseHours = {
  weekStart: string;
  /** Monday to Sunday. */
  days: { date: string; minutes: number }[];
  totalMinutes: number;
};

export type PulseFeedItem = {
  /** The event's public id (`evt_…`, opaque: server/events/ids.ts). */
  id: string;
  type: string;
  summary: string;
  href: string | null;
  occurredAt: Date;
  /** The event concerns the viewer (they are in its audience). */
  forMe: boolean;
};

export type PulseSections = {
  myTasks: PulseList<PulseTask>;
  overdue: PulseList<PulseTask>;
  stale: PulseList<PulseTask> & { scope: "organisation" | "mine" };
  /** null for people who decide no approvals. */
  approvals: PulseList<PulseApproval> | null;
  /** null without invoices.manage. */
  invoices: PulseList<PulseInvoice> | null;
  hours: PulseHours;
  /** The organisation's latest agent runs (everyone who reads the workspace sees them). */
  agents: PulseList<PulseAgentRun>;
};

export type PulsePageProps = {
  personName: string;
  organisationName: string | null;
  now: Date;
  /** null for someone who may not read the workspace. */
  sections: PulseSections | null;
  feed: PulseFeedItem[];
  /** The live connection (session only), resuming after the newest event shown. */
  streamUrl: string | null;
};
