import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { generatePassword } from "../auth/sessions/passwords.ts";
import { applyBackupSettings } from "../backup/apply.ts";
import { type CliContext, CliFailure, withCliContext } from "../cli-context.ts";
import { AppError, detailsFromZod } from "../http/errors.ts";
import { askSetupQuestions, terminalPrompter } from "./cli-prompts.ts";
import { setupInput } from "./schemas.ts";
import { completeSetup } from "./service.ts";
import { isSetupComplete } from "./state.ts";
import { type IndustryTemplate, industryTemplates } from "./templates.ts";

type SetupOptions = {
  quick?: boolean;
  config?: string;
  name?: string;
  email?: string;
  industry?: string;
  compliance?: string;
};

export const QUICK_DEFAULTS = { name: "My organisation", adminName: "Administrator", email: "admin@opsbox.local" };

/** Registers the CLI commands of this capability: setup (interactive, --quick, --config FILE). */
export function registerSetupCommands(program: Command): void {
  program
    .command("setup")
    .description("set up this box: the organisation, its admin account and the first settings")
    .option("--quick", "take the defaults and print a generated admin password once")
    .option("--config <file>", "read the setup from a JSON file: the body of POST /api/v1/setup")
    .option("--name <name>", `with --quick: the organisation's name (default "${QUICK_DEFAULTS.name}")`)
    .option("--email <address>", `with --quick: the admin's e-mail address (default ${QUICK_DEFAULTS.email})`)
    .option(
      "--industry <template>",
      "with --quick: general, agriculture, legal, finance, healthcare, manufacturing or retail",
    )
    .option("--compliance <preset>", "with --quick: basic, soc2 or enterprise (default: the industry's suggestion)")
    .action((options: SetupOptions) => runSetup(options));
}

async function runSetup(options: SetupOptions): Promise<void> {
  if (options.quick && options.config) throw new CliFailure("Use either --quick or --config FILE, not both.");
  const interactive = !options.quick && !options.config;
  if (interactive && !process.stdin.isTTY) {
    throw new CliFailure("setup asks its questions in a terminal. Without one, use --quick or --config FILE.");
  }
  await withCliContext(async (ctx) => {
    if (isSetupComplete(ctx.db)) throw new CliFailure("This box is already set up.");
    let generatedPassword: string | null = null;
    let raw: unknown;
    if (options.config) raw = readSetupFile(options.config);
    else if (options.quick) {
      generatedPassword = generatePassword();
      raw = quickSetup(options, generatedPassword);
    } else {
      const prompter = terminalPrompter();
      try {
        raw = await askSetupQuestions(prompter);
      } finally {
        prompter.close();
      }
    }
    await completeFromCli(ctx, raw, generatedPassword);
  });
}

function readSetupFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new CliFailure(`Cannot read ${path}.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliFailure(`${path} is not valid JSON: ${error instanceof Error ? error.message : "parse error"}.`);
  }
}

/** The defaults, with whatever was given on the command line; setupInput checks it like any other. */
function quickSetup(options: SetupOptions, password: string): unknown {
  const industry = options.industry ?? "general";
  const template: IndustryTemplate | undefined = (industryTemplates as Record<string, IndustryTemplate>)[industry];
  return {
    organization: {
      name: options.name ?? QUICK_DEFAULTS.name,
      industry,
      complianceLevel: options.compliance ?? template?.suggestedCompliance ?? "basic",
    },
    admin: { name: QUICK_DEFAULTS.adminName, email: options.email ?? QUICK_DEFAULTS.email, password },
    agents: { defaults: template?.suggestedAgents ?? [] },
  };
}

async function completeFromCli(ctx: CliContext, raw: unknown, generatedPassword: string | null): Promise<void> {
  const parsed = setupInput.safeParse(raw);
  if (!parsed.success) {
    const details = detailsFromZod(parsed.error);
    for (const detail of details) process.stderr.write(`${detail.path || "(file)"}: ${detail.message}\n`);
    throw new CliFailure(`The setup is not valid: fix the ${details.length === 1 ? "field" : "fields"} above.`);
  }
  const input = parsed.data;
  let result: Awaited<ReturnType<typeof completeSetup>>;
  try {
    result = await completeSetup({ db: ctx.db, keyring: ctx.keyring, dataDir: ctx.config.dataDir }, input);
  } catch (error) {
    if (error instanceof AppError) throw new CliFailure(error.message);
    throw error;
  }
  applyBackupSettings({ dataDir: ctx.config.dataDir });
  const out = (line = "") => process.stdout.write(`${line}\n`);
  out("Opsbox is set up.");
  out();
  out(`  Organisation  ${input.organization.name} (${result.organizationId})`);
  out(`  Admin         ${input.admin.email}`);
  if (generatedPassword) out(`  Password      ${generatedPassword}   (shown only this once: keep it somewhere safe)`);
  out();
  out("Next steps:");
  out(`  - Sign in at ${ctx.config.baseUrl}/sign-in. The first sign-in enrols two-factor authentication,`);
  out("    which admins must use, before anything else.");
  for (const step of result.nextSteps.filter((line) => !line.startsWith("Sign in"))) out(`  - ${step}`);
}
