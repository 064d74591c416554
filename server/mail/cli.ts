import type { Command } from "commander";
import { z } from "zod";
import { CliFailure, withCliContext } from "../cli-context.ts";
import { AppError } from "../http/errors.ts";
import { describeMailSettings } from "./settings.ts";
import { sendTestMessage } from "./test-message.ts";

const address = z.email();

/** `opsbox mail test <address>`: sends a test message now and prints the provider's exact answer. */
export function registerMailCommands(program: Command): void {
  const mail = program.command("mail").description("e-mail delivery: the provider and the outbox");
  mail
    .command("test")
    .description("send a test message through the configured provider and print its answer")
    .argument("<address>", "where to send it")
    .action((to: string) =>
      withCliContext(async (ctx) => {
        if (!address.safeParse(to).success) throw new CliFailure(`${to} is not an e-mail address.`);
        const settings = describeMailSettings(ctx.db);
        let result: Awaited<ReturnType<typeof sendTestMessage>>;
        try {
          result = await sendTestMessage(ctx, { to, orgId: null, sentBy: "the opsbox command" });
        } catch (error) {
          if (error instanceof AppError) throw new CliFailure(error.message);
          throw error;
        }
        const via = settings.provider === "smtp" ? `smtp ${settings.host}:${settings.port}` : result.provider;
        console.log(`Provider: ${via}`);
        console.log(`Answer:   ${result.answer}`);
        if (result.status !== "sent")
          throw new CliFailure(
            result.status === "temporary_failure"
              ? "The provider refused the message for now (a retry may work): see its answer above."
              : "The provider refused the message: see its answer above.",
          );
        console.log(`Sent to ${to} (outbox message ${result.messageId}).`);
      }),
    );
}
