import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import type { z } from "zod";
import { type ComplianceLevel, complianceLevels, compliancePresets } from "../../models/security-policy.ts";
import { checkPasswordStrength } from "../auth/sessions/passwords.ts";
import { DEFAULT_BACKUP_RETENTION_DAYS } from "../backup/settings.ts";
import {
  adminInput,
  backupSettingsInput,
  emailSettingsInput,
  organizationInput,
  type SetupInputRaw,
} from "./schemas.ts";
import { type BuiltInAgent, builtInAgents, type Industry, industries, industryTemplates } from "./templates.ts";

/** How the questions reach a person: the terminal in real use, a script in tests. */
export type Prompter = {
  /** Asks a question; an empty answer means `fallback` (when there is one). */
  ask(question: string, fallback?: string): Promise<string>;
  /** Asks without echoing what is typed. */
  askSecret(question: string): Promise<string>;
  say(line: string): void;
};

/** A prompter on this terminal; secrets are read with the echo off. */
export function terminalPrompter(): Prompter & { close(): void } {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const lines = createInterface({ input: process.stdin, output, terminal: true });
  lines.on("SIGINT", () => {
    process.stdout.write("\nSetup cancelled; nothing was changed.\n");
    process.exit(130);
  });
  return {
    async ask(question, fallback) {
      const answer = (await lines.question(fallback ? `${question} [${fallback}]: ` : `${question}: `)).trim();
      return answer || fallback || "";
    },
    async askSecret(question) {
      process.stdout.write(`${question}: `);
      muted = true;
      try {
        return await lines.question("");
      } finally {
        muted = false;
        process.stdout.write("\n");
      }
    },
    say: (line) => process.stdout.write(`${line}\n`),
    close: () => lines.close(),
  };
}

/** Asks until the answer passes `schema`, saying what is wrong each time. */
async function askValid<T>(prompter: Prompter, question: string, schema: z.ZodType<T>, fallback?: string): Promise<T> {
  for (;;) {
    const result = schema.safeParse(await prompter.ask(question, fallback));
    if (result.success) return result.data;
    prompter.say(`  ${result.error.issues[0]?.message ?? "That answer is not valid."}`);
  }
}

async function askChoice<T extends string>(
  prompter: Prompter,
  question: string,
  choices: readonly T[],
  label: (choice: T) => string,
  fallback: T,
): Promise<T> {
  prompter.say(question);
  choices.forEach((choice, i) => void prompter.say(`  ${i + 1}) ${label(choice)}`));
  for (;;) {
    const answer = await prompter.ask("Choose", String(choices.indexOf(fallback) + 1));
    const byNumber = choices[Number(answer) - 1];
    const chosen = byNumber ?? choices.find((choice) => choice === answer);
    if (chosen) return chosen;
    prompter.say(`  Answer with a number from 1 to ${choices.length}.`);
  }
}

async function askYes(prompter: Prompter, question: string): Promise<boolean> {
  for (;;) {
    const answer = (await prompter.ask(`${question} (y/n)`, "n")).toLowerCase();
    if (["y", "yes"].includes(answer)) return true;
    if (["n", "no"].includes(answer)) return false;
    prompter.say("  Answer y or n.");
  }
}

async function askNewPassword(prompter: Prompter, email: string, level: ComplianceLevel): Promise<string> {
  const minLength = compliancePresets[level].policy.passwordMinLength;
  for (;;) {
    const password = await prompter.askSecret(`Admin password (at least ${minLength} characters)`);
    const check = checkPasswordStrength(password, { email, minLength });
    if (!check.ok) {
      prompter.say(`  ${check.message}`);
      continue;
    }
    if ((await prompter.askSecret("Password again")) === password) return password;
    prompter.say("  The two passwords are not the same.");
  }
}

/** The same questions as the web wizard, one at a time; answers are checked with the same schemas. */
export async function askSetupQuestions(prompter: Prompter): Promise<SetupInputRaw> {
  prompter.say("Set up this Opsbox. Press Enter to take the answer in [brackets].\n");
  const name = await askValid(prompter, "Organisation name", organizationInput.shape.name);
  const industry: Industry = await askChoice(
    prompter,
    "Industry (it seeds approval pipelines, templates and suggested agents):",
    industries,
    (id) => industryTemplates[id].label,
    "general",
  );
  const complianceLevel = await askChoice(
    prompter,
    "Compliance preset (it sets the security policy):",
    complianceLevels,
    (level) => `${compliancePresets[level].label}: ${compliancePresets[level].summary}`,
    industryTemplates[industry].suggestedCompliance,
  );
  const timeZone = await askValid(
    prompter,
    "Time zone, such as Europe/Berlin (agents act at its local hours)",
    organizationInput.shape.timeZone,
    "UTC",
  );
  const adminName = await askValid(prompter, "Your name", adminInput.shape.name);
  const adminEmail = await askValid(prompter, "Your e-mail address (you sign in with it)", adminInput.shape.email);
  const password = await askNewPassword(prompter, adminEmail, complianceLevel);
  const email = await askBlock(prompter, emailSettingsInput, () => askEmail(prompter));
  const backups = await askBlock(prompter, backupSettingsInput, () => askBackups(prompter, complianceLevel));
  const chatModel = await prompter.ask("Chat model file for the assistant (blank to skip)");
  const embeddingModel = await prompter.ask("Embedding model file for search (blank to skip)");
  return {
    organization: { name, industry, complianceLevel, timeZone },
    admin: { name: adminName, email: adminEmail, password },
    email,
    backups,
    ai: { chatModel: chatModel || undefined, embeddingModel: embeddingModel || undefined },
    agents: { defaults: await askAgents(prompter, industry) },
  };
}

const deliveryLabels = {
  log: "Keep messages in the draft log for now",
  smtp: "An SMTP server",
  resend: "Resend (API key)",
  sendgrid: "SendGrid (API key)",
} as const;

/** E-mail delivery (the wizard's e-mail step): the draft log, SMTP, Resend or SendGrid. */
async function askEmail(prompter: Prompter): Promise<unknown> {
  const provider = await askChoice(
    prompter,
    "How should Opsbox send e-mail?",
    ["log", "smtp", "resend", "sendgrid"] as const,
    (choice) => deliveryLabels[choice],
    "log",
  );
  if (provider === "log") return { provider };
  if (provider === "smtp")
    return {
      provider,
      host: await prompter.ask("SMTP host"),
      port: await prompter.ask("SMTP port", "587"),
      secure: await askYes(prompter, "Use TLS from the start (port 465)?"),
      from: await prompter.ask("Sender address"),
      username: await prompter.ask("SMTP user name (blank for none)"),
      password: await prompter.askSecret("SMTP password (blank for none)"),
    };
  let apiKey = "";
  // Nothing is stored yet: without a key every message would be refused.
  while (!apiKey) {
    apiKey = (await prompter.askSecret(`${deliveryLabels[provider].split(" ")[0]} API key`)).trim();
    if (!apiKey) prompter.say("  Enter the API key.");
  }
  return { provider, apiKey, from: await prompter.ask("Sender address (of a domain verified there)") };
}

/** Backups: an S3-compatible bucket, a directory, or both (the wizard's backups step). */
async function askBackups(prompter: Prompter, level: ComplianceLevel): Promise<unknown> {
  if (!(await askYes(prompter, "Set up backups now (an S3-compatible bucket, a directory, or both)?")))
    return { enabled: false };
  const s3 = (await askYes(prompter, "Back up to an S3-compatible bucket?"))
    ? {
        bucket: await prompter.ask("Bucket"),
        endpoint: (await prompter.ask("Endpoint URL (blank for Amazon S3)")) || undefined,
        region: await prompter.ask("Region", "us-east-1"),
        path: await prompter.ask("Path in the bucket", "opsbox"),
        forcePathStyle: await askYes(prompter, "Address the bucket in the URL path (MinIO, Garage, most self-hosted)?"),
        accessKeyId: await prompter.ask("Access key id"),
        secretAccessKey: await prompter.askSecret("Secret access key"),
      }
    : {};
  const directory = await prompter.ask("Backup directory, a local or mounted disk (blank for none)");
  const floor = compliancePresets[level].backupRetentionDays;
  const retention = await prompter.ask(
    `Keep snapshots for how many days${floor ? ` (the preset asks for at least ${floor})` : ""}`,
    String(Math.max(floor ?? 0, DEFAULT_BACKUP_RETENTION_DAYS)),
  );
  return { enabled: true, ...s3, ...(directory ? { directory } : {}), retentionDays: retention };
}

/** Asks a group of related questions again until the group passes `schema` as a whole. */
async function askBlock<T>(prompter: Prompter, schema: z.ZodType<T>, askGroup: () => Promise<unknown>): Promise<T> {
  for (;;) {
    const result = schema.safeParse(await askGroup());
    if (result.success) return result.data;
    for (const issue of result.error.issues) prompter.say(`  ${issue.path.join(".")}: ${issue.message}`);
    prompter.say("  Let's try that again.");
  }
}

async function askAgents(prompter: Prompter, industry: Industry): Promise<BuiltInAgent[]> {
  prompter.say(`Agents: ${builtInAgents.join(", ")}`);
  const suggested = industryTemplates[industry].suggestedAgents.join(",");
  for (;;) {
    const answer = await prompter.ask("Agents to switch on (comma-separated, or none)", suggested);
    const chosen =
      answer === "none"
        ? []
        : answer
            .split(",")
            .map((item) => item.trim())
            .filter(Boolean);
    const known = chosen.filter((id): id is BuiltInAgent => (builtInAgents as readonly string[]).includes(id));
    const unknown = chosen.filter((id) => !known.includes(id as BuiltInAgent));
    if (unknown.length === 0) return known;
    prompter.say(`  Unknown agent(s): ${unknown.join(", ")}.`);
  }
}
