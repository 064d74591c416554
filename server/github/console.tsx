/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { GithubPage, type GithubPageProps } from "../../views/pages/auth/account-github.tsx";
import { renderPage } from "../console/render.tsx";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { type FormSpec, refusalFrom, validateForm } from "../http/validate-form.ts";
import { connectGithub, disconnectGithub, findGithubConnection } from "./connections.ts";
import { connectGithubInput } from "./schemas.ts";

type State = { repositories?: string; errors?: GithubPageProps["errors"]; notice?: string };

function githubPage(c: Context<AppEnv>, state: State = {}, status: ContentfulStatusCode = 200) {
  const connection = findGithubConnection(serviceContext(c));
  const props: GithubPageProps = {
    connection: connection
      ? { login: connection.login, repositories: connection.repositories, status: connection.status }
      : null,
    repositories: state.repositories ?? connection?.repositories.join("\n") ?? "",
    errors: state.errors ?? {},
    notice: state.notice ?? null,
    csrf: formCsrf(c),
  };
  return renderPage(c, { title: "GitHub", current: "/account" }, <GithubPage {...props} />, status);
}

type Values = { token: string; repositories: string };

const connectForm: FormSpec<Values> = {
  values: (form) => ({ token: form.text("token"), repositories: form.text("repositories") }),
  input: (values) => ({
    token: values.token,
    repositories: values.repositories
      .split(/[\s,]+/)
      .map((line) => line.trim())
      .filter(Boolean),
  }),
  // The token is never drawn back into the page; what was typed for repositories is.
  invalid: (c, values, { errors, status }) => githubPage(c, { repositories: values.repositories, errors }, status),
  // GitHub out of reach is said on the form too, not on an error page.
  refusal: (error) => refusalFrom(error, { codes: ["unavailable"] }),
};

/** /account/github: connect (or reconnect) GitHub with a personal access token, or disconnect. */
export const githubConsole = new Hono<AppEnv>()
  .get("/", requirePermission("tasks.write"), (c) => githubPage(c))
  .post("/", requirePermission("tasks.write"), validateForm(connectGithubInput, connectForm), async (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      const connection = await connectGithub(serviceContext(c), input, c.var.deps.config.githubApiUrl);
      return githubPage(c, { notice: `GitHub is connected as ${connection.login}.` });
    } catch (error) {
      return refused(error);
    }
  })
  .post("/disconnect", requirePermission("tasks.write"), (c) => {
    const gone = disconnectGithub(serviceContext(c));
    return githubPage(c, {
      notice: gone ? "GitHub is disconnected and the token deleted." : "GitHub was not connected.",
    });
  });
