import { Hono } from "hono";
import { apiDoc } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { connectGithub, disconnectGithub, findGithubConnection, githubConnectionJson } from "./connections.ts";
import { connectGithubInput, githubConnectionJsonSchema } from "./schemas.ts";

const tags = ["Time"];

/** /me/github: the caller's GitHub connection for the timesheet drafter. The token is write-only. */
export const githubConnectionApi = new Hono<AppEnv>()
  .get(
    "/",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Your GitHub connection (login and repositories; never the token)",
      tags,
      responses: { 200: { description: "The connection", schema: githubConnectionJsonSchema } },
    }),
    (c) => c.json(githubConnectionJson(findGithubConnection(serviceContext(c)))),
  )
  .put(
    "/",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Connect GitHub with a personal access token (checked with GitHub, stored encrypted)",
      tags,
      responses: { 200: { description: "The connection", schema: githubConnectionJsonSchema } },
    }),
    validate("json", connectGithubInput),
    async (c) => {
      const connection = await connectGithub(serviceContext(c), c.req.valid("json"), c.var.deps.config.githubApiUrl);
      return c.json(githubConnectionJson(connection));
    },
  )
  .delete(
    "/",
    requirePermission("tasks.write"),
    apiDoc({ summary: "Disconnect GitHub: the token is deleted", tags, responses: { 204: { description: "Gone" } } }),
    (c) => {
      disconnectGithub(serviceContext(c));
      return c.body(null, 204);
    },
  );
