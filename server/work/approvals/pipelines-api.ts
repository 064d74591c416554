import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { jsonWithEtag } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import {
  archivePipeline,
  createPipeline,
  listPipelines,
  pipelineEtag,
  pipelineJson,
  pipelineOrNotFound,
  updatePipeline,
} from "./pipelines.ts";
import {
  createPipelineInput,
  pageOfSchema,
  pipelineJsonSchema,
  pipelineListQuery,
  updatePipelineInput,
} from "./schemas.ts";

const tags = ["Approvals"];
const one = { description: "The pipeline", schema: pipelineJsonSchema };

const stepsText =
  "Steps are ordered; each names its approver: a person (`approverType: user`, `approverUserId`, an active member whose role may decide approvals) or a role (`approverType: role`, `approverRole`: a built-in role like `manager` or a custom role id) with `rule` `any` (one holder decides) or `all` (every holder of the role, counted when deciding, must approve). 1–10 steps.";

/** /approval-pipelines: who approves what, step by step. */
export const pipelinesApi = new Hono<AppEnv>()
  .get(
    "/",
    requirePermission("workspace.read"),
    apiDoc({
      summary: "List approval pipelines",
      description: "By name; archived pipelines only with `includeArchived=true`.",
      tags,
      responses: { 200: { description: "A page of pipelines", schema: pageOfSchema(pipelineJsonSchema) } },
    }),
    validate("query", pipelineListQuery),
    (c) => {
      const page = listPipelines(serviceContext(c), c.req.valid("query"));
      return c.json({ data: page.data.map(pipelineJson), nextCursor: page.nextCursor });
    },
  )
  .post(
    "/",
    requirePermission("projects.manage"),
    apiDoc({
      summary: "Create an approval pipeline",
      description: `The name is unique in the organisation. \`subjectType\` (invoice, timesheet, document, purchase, other, or null for any) makes it the default pipeline for that subject. ${stepsText}`,
      tags,
      responses: { 201: { description: "The new pipeline", schema: pipelineJsonSchema } },
    }),
    validate("json", createPipelineInput),
    (c) => {
      const pipeline = createPipeline(serviceContext(c), c.req.valid("json"));
      c.header("ETag", pipelineEtag(pipeline));
      c.header("Location", `/api/v1/approval-pipelines/${pipeline.id}`);
      return c.json(pipelineJson(pipeline), 201);
    },
  )
  .get(
    "/:id",
    requirePermission("workspace.read"),
    apiDoc({ summary: "Read an approval pipeline", tags, responses: { 200: one } }),
    (c) => {
      const ctx = serviceContext(c);
      const pipeline = pipelineOrNotFound(ctx, c.req.param("id"));
      return jsonWithEtag(c, pipelineEtag(pipeline), pipelineJson(pipeline));
    },
  )
  .patch(
    "/:id",
    requirePermission("projects.manage"),
    apiDoc({
      summary: "Change an approval pipeline",
      description: `\`steps\` replaces every step (send the whole ordered list). Requests already started keep the steps they started with. Send \`If-Match\` with the ETag you read: a stale one is 412. ${stepsText}`,
      tags,
      responses: { 200: one },
    }),
    validate("json", updatePipelineInput),
    (c) => {
      const pipeline = updatePipeline(
        serviceContext(c),
        c.req.param("id"),
        c.req.valid("json"),
        c.req.header("If-Match"),
      );
      c.header("ETag", pipelineEtag(pipeline));
      return c.json(pipelineJson(pipeline));
    },
  )
  .delete(
    "/:id",
    requirePermission("projects.manage"),
    apiDoc({
      summary: "Archive an approval pipeline",
      description: "Sets `archivedAt`: the pipeline takes no new requests; requests under way finish as they started.",
      tags,
      responses: { 200: { description: "The archived pipeline", schema: pipelineJsonSchema } },
    }),
    (c) => {
      const pipeline = archivePipeline(serviceContext(c), c.req.param("id"));
      c.header("ETag", pipelineEtag(pipeline));
      return c.json(pipelineJson(pipeline));
    },
  );
