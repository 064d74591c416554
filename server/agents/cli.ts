import type { Command } from "commander";
import { listOrganizations } from "../auth/organizations/organizations.ts";
import { type CliContext, CliFailure, withCliContext } from "../cli-context.ts";
import { printRunHistory, queueAndAwaitRun } from "../jobs/cli.ts";
import { listQuarantines } from "../jobs/quarantine.ts";
import type { AnyAgent } from "./definition.ts";
import { builtInAgentDefinitions, findAgent } from "./registry.ts";
import { dryRunAgent } from "./run.ts";
import { listAgentStates } from "./service.ts";

const minute = (at: Date | null) => (at ? at.toISOString().slice(0, 16).replace("T", " ") : "—");

function agentOrFail(id: string): AnyAgent {
  const agent = findAgent(id);
  if (!agent) throw new CliFailure(`No agent "${id}". \`opsbox agents list\` shows them.`);
  return agent;
}

/** The organisation named by id or exact name; without one, the box's only organisation. */
function orgIdFor(ctx: CliContext, org: string | undefined): string {
  const all = listOrganizations(ctx.db);
  if (org === undefined) {
    if (all.length === 1 && all[0]) return all[0].id;
    throw new CliFailure(
      all.length === 0 ? "The box has no organisation yet." : "The box has several organisations: name one with --org.",
    );
  }
  const found = all.find((item) => item.id === org || item.name === org);
  if (!found) throw new CliFailure(`No organisation "${org}". \`opsbox organizations list\` shows them.`);
  return found.id;
}

const orgOption = "the organisation's id or exact name (default: the box's only organisation)";

/** `opsbox agents list | run <id> [--org] [--dry-run] | history <id> [--org]`. */
export function registerAgentCommands(program: Command): void {
  const agents = program.command("agents").description("the built-in agents: their state, run one now, its history");

  agents
    .command("list")
    .description("every agent with its state in the organisation, schedule, last and next run")
    .option("--org <org>", orgOption)
    .action((options: { org?: string }) =>
      withCliContext((ctx) => {
        const orgId = orgIdFor(ctx, options.org);
        for (const state of listAgentStates({ db: ctx.db, orgId }, builtInAgentDefinitions, new Date())) {
          const on = state.quarantine ? "QUARANTINED" : state.enabled ? "on" : "off";
          const last = state.lastRun ? `last ${state.lastRun.status} ${minute(state.lastRun.queuedAt)}` : "never run";
          const next = state.nextRunAt ? `next ${minute(state.nextRunAt)}` : "";
          console.log(
            `${state.agent.id.padEnd(18)} ${on.padEnd(11)} ${state.agent.schedule.words.padEnd(24)} ${last}  ${next}`.trimEnd(),
          );
        }
      }),
    );

  agents
    .command("run <id>")
    .description(
      "run an agent now: the running server picks it up (this waits for the end); --dry-run only shows what it would do",
    )
    .option("--org <org>", orgOption)
    .option("--dry-run", "print what a run now would do, changing nothing")
    .option("--wait <seconds>", "how long to wait for the server to finish it", "120")
    .action((id: string, options: { org?: string; dryRun?: boolean; wait: string }) =>
      withCliContext(async (ctx) => {
        const agent = agentOrFail(id);
        const orgId = orgIdFor(ctx, options.org);
        if (options.dryRun) {
          const { baseUrl, dataDir } = ctx.config;
          const deps = { db: ctx.db, log: ctx.log, keyring: ctx.keyring, baseUrl, dataDir };
          const preview = dryRunAgent(deps, orgId, agent);
          console.log(preview.length === 0 ? `${agent.name} would do nothing now.` : preview.join("\n"));
          return;
        }
        if (listQuarantines(ctx.db, { orgId, box: false }).some((item) => item.jobId === agent.id))
          throw new CliFailure(`${agent.id} is quarantined after repeated failures: release it on /jobs first.`);
        await queueAndAwaitRun(ctx, agent.id, orgId, Number(options.wait));
      }),
    );

  agents
    .command("history <id>")
    .description("the agent's last runs in the organisation, newest first")
    .option("--org <org>", orgOption)
    .option("--limit <n>", "how many runs", "20")
    .action((id: string, options: { org?: string; limit: string }) =>
      withCliContext((ctx) => printRunHistory(ctx, agentOrFail(id).id, orgIdFor(ctx, options.org), options.limit)),
    );
}
