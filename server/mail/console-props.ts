import type { Context } from "hono";
import { mailStatuses } from "../../models/mail.ts";
import type { OutboxPageProps } from "../../views/pages/settings/outbox.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { formatBytes } from "../tools/bytes.ts";
import { attachmentsOfMessages } from "./attachments.ts";
import { listOutbox } from "./outbox.ts";
import { RETRYABLE_STATUSES } from "./outbox-actions.ts";
import { outboxReaderOf } from "./reader.ts";
import { mailDeliveryConfigured } from "./settings.ts";

const stamp = (at: Date | null) => (at ? at.toISOString().slice(0, 16).replace("T", " ") : null);

/** The outbox page's props: the newest messages this person may read, single-use links hidden from others. */
export function outboxPageProps(
  c: Context<AppEnv>,
  options: { notice?: string | null; error?: string | null } = {},
): OutboxPageProps {
  const query = c.req.query("status") ?? "";
  const status = mailStatuses.find((candidate) => candidate === query);
  const delivered = mailDeliveryConfigured(c.var.deps.db);
  const rows = listOutbox(c.var.deps.db, outboxReaderOf(c), 100, { status });
  const files = attachmentsOfMessages(
    c.var.deps.db,
    rows.map((row) => row.id),
  );
  const messages = rows.map((message) => ({
    id: message.id,
    to: message.toAddress,
    subject: message.subject,
    template: message.template,
    createdAt: stamp(message.createdAt) ?? "",
    body: message.textBody,
    linksHidden: message.linksHidden,
    status: message.status,
    attempts: message.attempts,
    nextAttemptAt: message.status === "queued" ? stamp(message.nextAttemptAt) : null,
    lastAnswer: message.lastAnswer,
    messageIdHeader: message.messageIdHeader,
    attachments: (files.get(message.id) ?? []).map((file) => ({
      name: file.fileName,
      size: formatBytes(file.sizeBytes),
      inline: file.inline,
    })),
    canRetry: delivered && RETRYABLE_STATUSES.includes(message.status),
    canCancel: message.status === "queued",
  }));
  return {
    switcher: organizationSwitcher(c),
    messages,
    mailDelivered: delivered,
    status: status ?? "",
    statuses: [...mailStatuses],
    csrf: formCsrf(c),
    notice: options.notice ?? null,
    error: options.error ?? null,
  };
}
