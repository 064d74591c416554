/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { AgentPage, AgentsPage } from "../../views/pages/agents/agents.tsx";
import { renderPage } from "../console/render.tsx";
import { redirectTo } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import type { ErrorDetail } from "../http/errors.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { type FormRefusal, refusalFrom, validateForm } from "../http/validate-form.ts";
import { type AgentPageState, agentPageProps, agentsPageProps } from "./console-props.ts";
import { agentIdParam, agentRunListQuery, agentSettingsFormInput, agentSwitchInput } from "./schemas.ts";
import { agentOrNotFound, changeAgent, previewAgent, runAgentNow } from "./service.ts";

const page = { title: "Agents", current: "/agents" };

const notices: Record<string, string> = {
  on: "The agent is on: it runs on its schedule.",
  off: "The agent is off: it no longer runs on its schedule.",
  saved: "The settings were saved; the next run uses them.",
  queued: "The run was queued: it starts at once, and its result shows in the history below.",
};

const render = (c: Parameters<typeof agentPageProps>[0], id: string, state: AgentPageState, status?: 200 | 409 | 422) =>
  renderPage(
    c,
    { ...page, title: agentOrNotFound(id).name },
    <AgentPage {...agentPageProps(c, agentOrNotFound(id), state)} />,
    status,
  );

/** `settings.thresholdHours` → `thresholdHours`: the settings form names fields without the prefix. */
function settingsRefusal(error: unknown): FormRefusal {
  const refusal = refusalFrom(error);
  if (!(error instanceof Error) || !("details" in error)) return refusal;
  const errors: Record<string, string> = {};
  for (const detail of (error as { details: ErrorDetail[] }).details)
    errors[detail.path.replace(/^settings\./, "") || "form"] ??= detail.message;
  return { ...refusal, errors };
}

/** /agents: the organisation's agents; switching, settings and runs need agents.manage. */
export const agentsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("workspace.read"), (c) => {
    const notice = notices[c.req.query("notice") ?? ""] ?? null;
    return renderPage(c, page, <AgentsPage {...agentsPageProps(c, notice)} />);
  })
  .get(
    "/:id",
    requirePermission("workspace.read"),
    validate("param", agentIdParam),
    validate("query", agentRunListQuery.pick({ trigger: true }).extend({ status: agentRunListQuery.shape.status })),
    (c) => {
      const { id } = c.req.valid("param");
      const query = c.req.valid("query");
      const filters = { status: query.status?.[0] ?? "", trigger: query.trigger ?? "" };
      return render(c, id, { notice: notices[c.req.query("notice") ?? ""] ?? null, filters });
    },
  )
  .post(
    "/:id/switch",
    requirePermission("agents.manage"),
    validate("param", agentIdParam),
    validateForm(agentSwitchInput, { values: (form) => ({ enabled: form.text("enabled") }) }),
    (c) => {
      const agent = agentOrNotFound(c.req.valid("param").id);
      const { enabled } = c.req.valid("form").input;
      changeAgent(serviceContext(c), agent, { enabled: enabled === "on" });
      const back = c.req.header("HX-Current-URL")?.includes(`/agents/${agent.id}`) ? `/agents/${agent.id}` : "/agents";
      return redirectTo(c, `${back}?notice=${enabled}`);
    },
  )
  .post(
    "/:id/settings",
    requirePermission("agents.manage"),
    validate("param", agentIdParam),
    validateForm(agentSettingsFormInput, {
      values: (form, c) =>
        Object.fromEntries(
          agentOrNotFound(c.req.param("id") ?? "").fields.map((field) => [field.name, form.text(field.name)]),
        ),
      input: (values) => ({ settings: values }),
      invalid: (c, values, refusal) =>
        render(
          c,
          c.req.param("id") ?? "",
          { typed: values, errors: refusal.errors, error: refusal.errors.form ?? null },
          422,
        ),
      refusal: settingsRefusal,
    }),
    (c) => {
      const agent = agentOrNotFound(c.req.valid("param").id);
      const { input, refused } = c.req.valid("form");
      try {
        changeAgent(serviceContext(c), agent, { settings: input.settings });
      } catch (error) {
        return refused(error);
      }
      return redirectTo(c, `/agents/${agent.id}?notice=saved`);
    },
  )
  .post("/:id/preview", requirePermission("agents.manage"), validate("param", agentIdParam), (c) => {
    const agent = agentOrNotFound(c.req.valid("param").id);
    const preview = previewAgent(serviceContext(c), agent, { ...c.var.deps.config, ai: c.var.deps.ai });
    return render(c, agent.id, { preview });
  })
  .post("/:id/run", requirePermission("agents.manage"), validate("param", agentIdParam), (c) => {
    const agent = agentOrNotFound(c.req.valid("param").id);
    runAgentNow(serviceContext(c), agent, c.var.deps.jobs);
    return redirectTo(c, `/agents/${agent.id}?notice=queued`);
  });
