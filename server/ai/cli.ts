import type { Command } from "commander";
import { type CliContext, CliFailure, withCliContext } from "../cli-context.ts";
import { AppError } from "../http/errors.ts";
import { queueReembedding } from "../knowledge/ingestion/reembed.ts";
import { formatBytes } from "../tools/bytes.ts";
import { formatCount } from "../tools/counts.ts";
import { cliActor } from "./model-actor.ts";
import { startPull } from "./model-pull.ts";
import { saveModelChoice } from "./model-roles.ts";
import { type ModelRole, modelRoles } from "./model-selection.ts";
import { deleteModel, findModelById, importModel, listModels, rolesOf } from "./models-service.ts";
import { addModelInput } from "./schemas.ts";

/** Registers `opsbox models list|import|pull|delete|use`. */
export function registerModelCommands(program: Command): void {
  const models = program.command("models").description("the box's local AI models (GGUF files in <data dir>/models)");
  models
    .command("list")
    .description("list installed models with their GGUF facts")
    .action(() => withCliContext(printModels));
  models
    .command("import <path>")
    .description("install a GGUF file that is on this machine (hard-linked or copied)")
    .option("--name <name>", "what to call it")
    .action((path: string, options: { name?: string }) =>
      withCliContext((ctx) =>
        explain(async () => {
          const input = parse({ path, name: options.name });
          const model = await importModel(ctx, cliActor, { path: input.path ?? path, name: input.name });
          console.log(`Imported ${model.name} as ${model.id} (sha256 ${model.sha256}).`);
        }),
      ),
    );
  models
    .command("pull <source>")
    .description("download a model from an https URL or hf:<user>/<repo>/<file>")
    .option("--sha256 <hex>", "the file's expected sha256; a mismatch fails the pull")
    .option("--name <name>", "what to call it")
    .action((source: string, options: { sha256?: string; name?: string }) =>
      withCliContext((ctx) => explain(() => pullFromCli(ctx, source, options))),
    );
  models
    .command("delete <id>")
    .description("delete a model and its file (choose another for its role first)")
    .action((id: string) =>
      withCliContext((ctx) =>
        explain(async () => {
          deleteModel(ctx, cliActor, id);
          console.log(`Deleted ${id}.`);
        }),
      ),
    );
  models
    .command("use <id>")
    .description("choose the model that serves chat or embeddings (`none` for none)")
    .requiredOption("--for <role>", "chat or embedding")
    .action((id: string, options: { for: string }) =>
      withCliContext((ctx) =>
        explain(async () => {
          const role = options.for as ModelRole;
          if (!modelRoles.includes(role)) throw new CliFailure("for: must be chat or embedding");
          const changed = saveModelChoice(ctx.db, cliActor, { [role]: id === "none" ? null : id });
          console.log(
            changed.length === 0 ? "Nothing changed." : `${id === "none" ? "No model" : id} now serves ${role}.`,
          );
          // The server reads the choice on its next request; re-embedding is queued here.
          if (changed.includes("embedding") && id !== "none") console.log(queueReembeddingFromCli(ctx, id));
        }),
      ),
    );
}

/**
 * Queues the re-embedding of every document for the model just chosen, straight into the
 * database: the server is another process, and its ingestion worker takes jobs from
 * ingestion_jobs on its next look (a few seconds), or at its next start.
 */
function queueReembeddingFromCli(ctx: CliContext, modelId: string): string {
  if (ctx.config.ai.embeddingModelPath) {
    return "OPSBOX_EMBEDDING_MODEL names the embedding model here, so documents keep its vectors.";
  }
  // As the server decides: a model without an embedding length does not embed.
  if (!findModelById(ctx.db, modelId)?.embeddingLength) return "The model does not embed; nothing to re-embed.";
  const queued = queueReembedding(ctx.db, modelId);
  return queued === 0
    ? "No document needs re-embedding."
    : `${queued} document(s) queued for re-embedding; a running Opsbox starts on them within seconds.`;
}

function parse(input: Record<string, string | undefined>) {
  const parsed = addModelInput.safeParse(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliFailure(`${String(issue?.path[0] ?? "input")}: ${issue?.message ?? "is not valid"}`);
  }
  return parsed.data;
}

/** Service errors become one line on stderr and exit 1. */
async function explain(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const detail = error.details[0];
    throw new CliFailure(detail ? `${detail.path}: ${detail.message}` : error.message);
  }
}

function printModels(ctx: CliContext): void {
  const rows = listModels(ctx.db);
  if (rows.length === 0) {
    console.log(
      "No models are installed. Add one with `opsbox models pull <url|hf:…>` or `opsbox models import <path>`.",
    );
    return;
  }
  for (const model of rows) {
    const roles = rolesOf(ctx.db, model.id);
    const facts = [
      model.architecture,
      model.parameters ? `${formatCount(model.parameters)} parameters` : null,
      model.quantization,
      model.contextLength ? `${model.contextLength} context` : null,
      model.embeddingLength ? `${model.embeddingLength}-d` : null,
      model.sizeBytes ? formatBytes(model.sizeBytes) : null,
    ].filter(Boolean);
    const status =
      model.status === "ready" ? "" : ` [${model.status}${model.statusReason ? `: ${model.statusReason}` : ""}]`;
    const serves = roles.length > 0 ? ` (serves ${roles.join(", ")})` : "";
    console.log(`${model.id}  ${model.name}${serves}${status}\n    ${facts.join(" · ")}`);
  }
}

async function pullFromCli(ctx: CliContext, source: string, options: { sha256?: string; name?: string }) {
  const input = parse({ url: source, sha256: options.sha256, name: options.name });
  let last = 0;
  const { model, finished } = await startPull(
    ctx,
    cliActor,
    { url: input.url ?? source, sha256: input.sha256, name: input.name },
    (done, total) => {
      if (Date.now() - last < 1000 && done !== total) return;
      last = Date.now();
      process.stderr.write(
        `\r${formatBytes(done)}${total ? ` of ${formatBytes(total)} (${Math.floor((done / total) * 100)}%)` : ""}   `,
      );
    },
  );
  const result = await finished;
  process.stderr.write("\n");
  if (result.status !== "ready")
    throw new CliFailure(`the pull of ${model.id} failed: ${result.statusReason ?? "unknown reason"}`);
  console.log(`Pulled ${result.name} as ${result.id} (sha256 ${result.sha256}).`);
}
