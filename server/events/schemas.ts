import { z } from "zod";
import { limitQuery } from "../http/cursor.ts";

const eventType = z.string().regex(/^[a-z][a-z_]*\.[a-z][a-z_]*$/, "Use event types like task.created.");

/** `?types=task.created,task.updated`: a comma-separated list, at most 30. */
const typeList = z
  .string()
  .max(1000)
  .transform((value) =>
    value
      .split(",")
      .map((type) => type.trim())
      .filter(Boolean),
  )
  .pipe(z.array(eventType).max(30, "Ask for at most 30 types."))
  .meta({ description: "Comma-separated event types to receive, e.g. `task.created,task.updated`." });

const eventId = z
  .string()
  .regex(/^evt_[A-Za-z0-9_-]{22}$/, "Use the id of an event you received.")
  .meta({ description: "Replay the events after this id (same as the `Last-Event-ID` header)." });

export const eventsQuery = z.object({
  types: typeList.optional(),
  after: eventId.optional(),
  format: z.enum(["sse", "json"]).optional().meta({
    description: "`json` answers a page of past events; default: the stream (or JSON for `Accept: application/json`).",
  }),
  limit: limitQuery().meta({ description: "JSON pages only." }),
  cursor: z.string().max(200).optional().meta({ description: "JSON pages only: `nextCursor` of the previous page." }),
});
export type EventsQuery = z.infer<typeof eventsQuery>;

/** What `eventJson()` answers: the `data:` of each stream message and each item of a JSON page. */
export const eventJsonSchema = z
  .object({
    id: z.string().meta({
      description:
        "Opaque (`evt_` and 22 characters), not ordered: also the stream's `id:`; resume after it with `Last-Event-ID`.",
    }),
    type: z.string().meta({ examples: ["task.created", "approval.decided", "invoice.status_changed"] }),
    subject: z.object({ type: z.string(), id: z.string() }),
    actorId: z.string().nullable().meta({ description: "null when the box itself acted (an agent)." }),
    summary: z.string(),
    data: z.record(z.string(), z.unknown()),
    occurredAt: z.string().meta({ description: "ISO 8601 UTC." }),
  })
  .meta({ id: "Event", description: "A domain event: the `data:` of each stream message." });

export const eventPageSchema = z.object({
  data: z.array(eventJsonSchema).meta({ description: "Newest first." }),
  nextCursor: z.string().nullable(),
});
