import { type Context, Hono } from "hono";
import type { MailMessage } from "../../models/mail.ts";
import { apiDoc } from "../http/api-doc.ts";
import { cursorKey, pageOf } from "../http/cursor.ts";
import type { AppEnv } from "../http/env.ts";
import { requireInstanceAdmin, requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { attachmentsOfMessages } from "./attachments.ts";
import { listOutbox } from "./outbox.ts";
import { cancelMessage, retryMessage } from "./outbox-actions.ts";
import { outboxReaderOf } from "./reader.ts";
import { mailMessageJson, mailMessageJsonSchema, mailMessageListSchema, outboxQuery } from "./schemas.ts";
import { describeMailSettings } from "./settings.ts";
import { changeMailSettings } from "./settings-change.ts";
import {
  emailSettingsInput,
  emailSettingsJsonSchema,
  testMessageInput,
  testMessageResultSchema,
} from "./settings-schema.ts";
import { sendTestMessage } from "./test-message.ts";

const tags = ["E-mail"];
const boxWide =
  "E-mail delivery belongs to the whole box: any admin (settings.manage) may read it, only the box's instance admin may change it or send a test message.";

/** One message as the API answers it, with its attachments. */
function messageAnswer(c: Context<AppEnv>, message: MailMessage) {
  return c.json(mailMessageJson(message, attachmentsOfMessages(c.var.deps.db, [message.id]).get(message.id)));
}

/**
 * /mail/settings, /mail/test and /mail/messages: the box's e-mail provider (secrets write-only)
 * and the organisation's outbox. Retrying and cancelling are for the people who send its
 * invitations (users.manage), on its own messages and box-wide ones sent to themselves.
 */
export const mailApi = new Hono<AppEnv>()
  .get(
    "/settings",
    apiDoc({
      summary: "Get the e-mail settings",
      description: `The provider and its settings; the password or API key is never shown (\`secretSet\` says whether one is stored). ${boxWide}`,
      tags,
      responses: { 200: { description: "The settings", schema: emailSettingsJsonSchema } },
    }),
    requirePermission("settings.manage"),
    (c) => c.json(describeMailSettings(c.var.deps.db)),
  )
  .put(
    "/settings",
    apiDoc({
      summary: "Change the e-mail settings",
      description:
        "`log` keeps mail in the draft log; `smtp` (with a `preset` that fills host, port and TLS), `resend` or `sendgrid` send it. " +
        "An empty or missing password or API key keeps the stored one (SMTP: only for the same host and user name). " +
        "Messages already in the draft log stay there until an admin retries them.",
      tags,
      responses: { 200: { description: "The settings", schema: emailSettingsJsonSchema } },
    }),
    requireInstanceAdmin(),
    validate("json", emailSettingsInput),
    (c) => c.json(changeMailSettings(serviceContext(c), c.req.valid("json"))),
  )
  .post(
    "/test",
    apiDoc({
      summary: "Send a test message",
      description:
        "Sends at once through the configured provider and answers what it said, word for word (200 whether it accepted or not). 409 while no provider is configured.",
      tags,
      responses: { 200: { description: "The provider's answer", schema: testMessageResultSchema } },
    }),
    requireInstanceAdmin(),
    validate("json", testMessageInput),
    async (c) => {
      const ctx = serviceContext(c);
      const sentBy = c.var.auth?.user.email ?? "an admin";
      return c.json(await sendTestMessage(ctx, { to: c.req.valid("json").to, orgId: ctx.orgId, sentBy }));
    },
  )
  .get(
    "/messages",
    apiDoc({
      summary: "List the outbox",
      description:
        "The organisation's messages and box-wide ones sent to the caller, newest first, without their bodies but with their `Message-ID` (once the first attempt fixed it) and attachments (name, type, size); `status` filters.",
      tags,
      responses: { 200: { description: "A page of messages", schema: mailMessageListSchema } },
    }),
    requirePermission("users.manage"),
    validate("query", outboxQuery),
    (c) => {
      const query = c.req.valid("query");
      const beforeId = query.cursor ? cursorKey(query.cursor) : undefined;
      const rows = listOutbox(c.var.deps.db, outboxReaderOf(c), query.limit + 1, { status: query.status, beforeId });
      const files = attachmentsOfMessages(
        c.var.deps.db,
        rows.map((row) => row.id),
      );
      const data = rows.map((row) => mailMessageJson(row, files.get(row.id)));
      return c.json(pageOf(data, query.limit, (row) => [row.id]));
    },
  )
  .post(
    "/messages/:id/retry",
    apiDoc({
      summary: "Retry a message",
      description:
        "Queues a failed, bounced or draft-log message again now. 409 for other statuses or while no provider is configured.",
      tags,
      responses: { 200: { description: "The message, queued", schema: mailMessageJsonSchema } },
    }),
    requirePermission("users.manage"),
    (c) => messageAnswer(c, retryMessage(serviceContext(c), outboxReaderOf(c), c.req.param("id"))),
  )
  .post(
    "/messages/:id/cancel",
    apiDoc({
      summary: "Cancel a queued message",
      description:
        "Only a queued message can be cancelled (409 otherwise): one already in the provider's hands cannot.",
      tags,
      responses: { 200: { description: "The message, cancelled", schema: mailMessageJsonSchema } },
    }),
    requirePermission("users.manage"),
    (c) => messageAnswer(c, cancelMessage(serviceContext(c), outboxReaderOf(c), c.req.param("id"))),
  );
