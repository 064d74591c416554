import type { Command } from "commander";
import { eq } from "drizzle-orm";
import { users } from "../../../models/identity.ts";
import { type CliContext, CliFailure, withCliContext } from "../../cli-context.ts";
import { AppError } from "../../http/errors.ts";
import { listUserOrganizations, resolveMembership } from "../roles/roles.ts";
import { rotateSecretKey } from "../secrets/secret-rotation.ts";
import { issueApiKey } from "./api-key-management.ts";
import { createApiKeyInput } from "./api-key-schemas.ts";

type CreateKeyOptions = { email: string; name: string; scopes?: string; org?: string; expiresAt?: string };

/** Registers the CLI commands of this capability: api-keys create, secrets rotate. */
export function registerKeyCommands(program: Command): void {
  program
    .command("api-keys")
    .description("manage API keys")
    .command("create")
    .description("create an API key for a member and print only the key (an operator's tool on the box itself)")
    .requiredOption("--email <email>", "the key's owner: an active or invited member")
    .requiredOption("--name <name>", "what the key is for")
    .option("--scopes <permissions>", "comma-separated permissions (default: everything the owner's role allows)")
    .option("--org <id>", "organisation id (default: the owner's first organisation)")
    .option("--expires-at <date-time>", "ISO 8601 expiry, like 2030-01-31T00:00:00Z (default: never)")
    .action((options: CreateKeyOptions) =>
      withCliContext((ctx) => {
        process.stdout.write(`${createKeyFromCli(ctx, options)}\n`);
      }),
    );

  program
    .command("secrets")
    .description("secrets stored encrypted at rest")
    .command("rotate")
    .description("move every encrypted secret to a new key (a new key file line, or the new OPSBOX_SECRET_KEY)")
    .action(() => withCliContext(rotateFromCli));
}

function createKeyFromCli(ctx: CliContext, options: CreateKeyOptions): string {
  const email = options.email.trim().toLowerCase();
  const user = ctx.db.select().from(users).where(eq(users.email, email)).get();
  if (!user) throw new CliFailure(`email: nobody has the e-mail address ${email}.`);
  if (user.status === "deactivated") throw new CliFailure(`email: ${email} is deactivated.`);
  const orgId = options.org ?? listUserOrganizations(ctx.db, user.id)[0]?.id;
  if (!orgId) throw new CliFailure(`email: ${email} belongs to no organisation.`);
  const membership = resolveMembership(ctx.db, user.id, orgId);
  if (!membership) throw new CliFailure(`org: ${email} is not a member of organisation ${orgId}.`);

  const parsed = createApiKeyInput.safeParse({
    name: options.name,
    scopes: options.scopes
      ?.split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
    expiresAt: options.expiresAt,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0] === "expiresAt" ? "expires-at" : String(issue?.path[0] ?? "options");
    throw new CliFailure(`${field}: ${issue?.message ?? "is not valid"}`);
  }
  try {
    const { key } = issueApiKey(
      {
        db: ctx.db,
        log: ctx.log,
        keyring: ctx.keyring,
        orgId,
        userId: user.id,
        apiKeyId: null,
        permissions: membership.permissions,
        meta: {},
      },
      {
        name: parsed.data.name,
        scopes: parsed.data.scopes,
        expiresAt: parsed.data.expiresAt ? new Date(parsed.data.expiresAt) : null,
        via: "cli",
      },
    );
    return key;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const detail = error.details[0];
    throw new CliFailure(detail ? `${detail.path}: ${detail.message}` : error.message);
  }
}

function rotateFromCli(ctx: CliContext): void {
  if (ctx.config.secretKeySource === "environment") {
    console.log(
      "The secret key comes from OPSBOX_SECRET_KEY. To rotate it, set OPSBOX_SECRET_KEY to a new key " +
        "(openssl rand -base64 32), put the old one in OPSBOX_PREVIOUS_SECRET_KEYS, restart Opsbox and run this again. " +
        "Re-encrypting everything under the current key now.",
    );
  }
  const result = rotateSecretKey(ctx);
  if (result.keyFile) {
    console.log(`Wrote a new secret key (id ${result.keyId}) to ${result.keyFile}; the older keys stay below it.`);
  }
  const noun = result.reencrypted === 1 ? "secret" : "secrets";
  console.log(`Re-encrypted ${result.reencrypted} ${noun}; ${result.stillOlder} still use older keys.`);
  if (result.keyFile) {
    console.log("A running Opsbox picks up the new key from the file the first time it meets a moved secret.");
  }
  if (result.unreadable.length > 0) {
    throw new CliFailure(
      `no configured key decrypts ${result.unreadable.join(", ")}; add the key they were made with to OPSBOX_PREVIOUS_SECRET_KEYS and run this again.`,
    );
  }
}
