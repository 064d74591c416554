/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { BroadcastPage, ReceivedBroadcastPage } from "../../views/pages/broadcasts/broadcast.tsx";
import {
  BroadcastComposePage,
  type BroadcastFormValues,
  type BroadcastPreview,
} from "../../views/pages/broadcasts/compose.tsx";
import { BroadcastsListPage } from "../../views/pages/broadcasts/list.tsx";
import { renderPage } from "../console/render.tsx";
import { redirectTo } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { type FormRefusal, type FormSpec, type PostedForm, validateForm } from "../http/validate-form.ts";
import { renderMarkdown } from "../tools/markdown.ts";
import { audienceOfField, broadcastPageProps, composeProps, listProps, messageProps } from "./console-props.ts";
import { createBroadcastInput } from "./schemas.ts";
import {
  broadcastOrNotFound,
  createBroadcast,
  listBroadcasts,
  previewBroadcast,
  receivedBroadcastOrNotFound,
} from "./service.ts";

const listQuery = z.object({ cursor: z.string().max(500).optional().catch(undefined) });

const composeForm: FormSpec<BroadcastFormValues> = {
  values: valuesOf,
  input: (values) => ({ subject: values.subject, body: values.body, audience: audienceOfField(values.audience) }),
  invalid: (c, values, refusal) => renderCompose(c, values, refusal, null),
};

/** /broadcasts pages: past broadcasts, compose (with a preview of who gets it), and one broadcast's page. */
export const broadcastsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("broadcasts.send"), (c) => {
    const { cursor } = listQuery.parse(c.req.query());
    const page = listBroadcasts(serviceContext(c), { limit: 50, cursor });
    return renderPage(c, { title: "Broadcasts" }, <BroadcastsListPage {...listProps(c, page)} />);
  })
  .get("/new", requirePermission("broadcasts.send"), (c) =>
    renderCompose(c, { subject: "", audience: "organization", body: "" }, {}, null),
  )
  .post("/preview", requirePermission("broadcasts.send"), validateForm(createBroadcastInput, composeForm), (c) => {
    const { input, values, refused } = c.req.valid("form");
    try {
      const counted = previewBroadcast(serviceContext(c), input.audience);
      return renderCompose(c, values, {}, { ...counted, bodyHtml: renderMarkdown(input.body) });
    } catch (error) {
      return refused(error);
    }
  })
  .post("/", requirePermission("broadcasts.send"), validateForm(createBroadcastInput, composeForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      const broadcast = createBroadcast(serviceContext(c), input);
      return redirectTo(c, `/broadcasts/${broadcast.id}`);
    } catch (error) {
      return refused(error);
    }
  })
  .get("/:id", requirePermission("workspace.read"), (c) => {
    const ctx = serviceContext(c);
    const id = c.req.param("id");
    if (ctx.permissions.has("broadcasts.send")) {
      const broadcast = broadcastOrNotFound(ctx, id);
      const props = broadcastPageProps(c, broadcast, renderMarkdown(broadcast.body));
      return renderPage(c, { title: broadcast.subject }, <BroadcastPage {...props} />);
    }
    const broadcast = receivedBroadcastOrNotFound(ctx, id);
    const message = messageProps(c, broadcast, renderMarkdown(broadcast.body));
    return renderPage(c, { title: broadcast.subject }, <ReceivedBroadcastPage message={message} />);
  });

function valuesOf(posted: PostedForm): BroadcastFormValues {
  return { subject: posted.text("subject"), audience: posted.text("audience"), body: posted.text("body") };
}

function renderCompose(
  c: Context<AppEnv>,
  values: BroadcastFormValues,
  refusal: FormRefusal | Record<string, never>,
  preview: BroadcastPreview | null,
) {
  const errors = "errors" in refusal ? refusal.errors : {};
  const status: ContentfulStatusCode = "status" in refusal ? refusal.status : 200;
  return renderPage(
    c,
    { title: "New broadcast" },
    <BroadcastComposePage {...composeProps(c, values, errors, preview)} />,
    status,
  );
}
