import type { Command } from "commander";
import { listOrganizations } from "../auth/organizations/organizations.ts";
import { createOrganizationInput } from "../auth/people/people-schemas.ts";
import { CliFailure, withCliContext } from "../cli-context.ts";
import { AppError } from "../http/errors.ts";
import { createOrganizationAsOperator } from "./organizations.ts";
import { isSetupComplete } from "./state.ts";

/** Registers the CLI commands of this capability: orgs create, orgs list. */
export function registerOrganizationCommands(program: Command): void {
  const orgs = program.command("orgs").description("organisations on this box");

  orgs
    .command("create")
    .description("add an organisation and invite its admin by e-mail")
    .requiredOption("--name <name>", "the organisation's name")
    .requiredOption("--admin-email <email>", "who becomes its admin (invited, or added if they have an account)")
    .action(async (options: { name: string; adminEmail: string }) => {
      const parsed = createOrganizationInput.safeParse({ name: options.name, adminEmail: options.adminEmail });
      if (!parsed.success) {
        throw new CliFailure(
          parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
        );
      }
      await withCliContext(({ config, db, log }) => {
        if (!isSetupComplete(db)) throw new CliFailure("This box is not set up yet. Run `opsbox setup` first.");
        try {
          const { organization, admin } = createOrganizationAsOperator(
            { db, log, baseUrl: config.baseUrl },
            parsed.data,
          );
          console.log(`Created organisation "${organization.name}" (${organization.id}).`);
          // An address that already has an account joins only when its person accepts; either way a link went out.
          console.log(`Invited ${admin.user.email} as its admin; the invitation is in the e-mail draft log.`);
        } catch (error) {
          if (error instanceof AppError) throw new CliFailure(error.message);
          throw error;
        }
      });
    });

  orgs
    .command("list")
    .description("list the organisations with their number of members")
    .action(async () => {
      await withCliContext(({ db }) => {
        for (const org of listOrganizations(db)) {
          console.log(`${org.id}  ${org.name}  (${org.complianceLevel}, ${org.members} member(s))`);
        }
      });
    });
}
