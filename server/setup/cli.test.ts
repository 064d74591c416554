import { afterEach, expect, test } from "bun:test";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../testing/cli.ts";
import { makeTempDir, startTestApp } from "../testing/harness.ts";
import { askSetupQuestions, type Prompter } from "./cli-prompts.ts";
import { setupInput } from "./schemas.ts";
import { setupTokenPath } from "./token.ts";

const _CLI = join(import.meta.dir, "..", "cli.ts");
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = makeTempDir("opsbox-setup-cli-");
  dirs.push(dir);
  return dir;
}

const opsbox = (args: string[], dir: string) => runCli(args, { OPSBOX_DATA_DIR: dir });

function writeConfig(dir: string, body: unknown): string {
  const path = join(dir, "setup.json");
  writeFileSync(path, JSON.stringify(body));
  return path;
}

const validBody = {
  organization: { name: "Greenfield Farms", industry: "agriculture" },
  admin: { name: "Gus Grower", email: "gus@example.com", password: "sunflower tractor autumn" },
};

test("setup --config FILE sets up the box and prints the organisation, the admin and what to do next", async () => {
  const dir = dataDir();
  const result = await opsbox(["setup", "--config", writeConfig(dir, validBody)], dir);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/Organisation\s+Greenfield Farms \(org_\w+\)/);
  expect(result.stdout).toContain("gus@example.com");
  expect(result.stdout).toContain("enrols two-factor authentication");
  expect(result.stdout).not.toContain("sunflower");
  expect(existsSync(setupTokenPath(dir))).toBe(false);
});

test("setup --config names each wrong field on its own line and exits 1", async () => {
  const dir = dataDir();
  const body = { organization: { name: "" }, admin: { ...validBody.admin, email: "gus-at-example" } };
  const result = await opsbox(["setup", "--config", writeConfig(dir, body)], dir);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("organization.name: Enter your organisation's name.\n");
  expect(result.stderr).toContain("admin.email: Enter a valid e-mail address.\n");
  expect(result.stderr).toEndWith("opsbox: The setup is not valid: fix the fields above.\n");
  expect(result.stdout).toBe("");
});

test("setup --config with a file that is not JSON says so", async () => {
  const dir = dataDir();
  const path = join(dir, "broken.json");
  writeFileSync(path, "{ not json");
  const result = await opsbox(["setup", "--config", path], dir);
  expect(result.code).toBe(1);
  expect(result.stderr).toStartWith(`opsbox: ${path} is not valid JSON`);
});

test("setup --quick prints a generated password once, which then signs in; a second setup exits 1", async () => {
  const dir = dataDir();
  const result = await opsbox(["setup", "--quick", "--name", "Quick Co", "--email", "boss@quick.example"], dir);
  expect(result.code).toBe(0);
  const password = /Password\s+(\S+)/.exec(result.stdout)?.[1] ?? "";
  expect(password).toMatch(/^(\w{5}-){4}\w{5}$/);
  expect(result.stdout.split(password)).toHaveLength(2);

  const again = await opsbox(["setup", "--quick"], dir);
  expect(again.code).toBe(1);
  expect(again.stderr).toBe("opsbox: This box is already set up.\n");

  const box = await startTestApp({ dataDir: dir });
  try {
    const login = await box.fetch("/api/v1/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "boss@quick.example", password }),
    });
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ twoFactor: "not_enrolled" });
  } finally {
    await box.close();
  }
});

test("setup without a terminal and without --quick or --config says what to use", async () => {
  const result = await opsbox(["setup"], dataDir());
  expect(result.code).toBe(1);
  expect(result.stderr).toBe(
    "opsbox: setup asks its questions in a terminal. Without one, use --quick or --config FILE.\n",
  );
});

/** A person at the terminal, answering from a script; what they were told is kept. */
function scripted(answers: string[]): Prompter & { told: string[] } {
  const told: string[] = [];
  const next = async (question: string, fallback?: string) => {
    told.push(question);
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`no answer left for "${question}"`);
    return answer || fallback || "";
  };
  return { told, ask: next, askSecret: (question) => next(question), say: (line) => void told.push(line) };
}

test("interactive setup asks for backups to a bucket (path-style) and a directory, with the retention", async () => {
  const prompter = scripted([
    "Backup Bakery",
    "1",
    "", // the industry's suggestion
    "", // time zone: UTC
    "Bea Baker",
    "bea@bakery.example",
    "flour harbour lantern oven",
    "flour harbour lantern oven",
    "", // e-mail: the draft log
    "y", // backups
    "y", // a bucket
    "bakery",
    "http://minio.lan:9000",
    "", // region
    "", // path
    "y", // path-style
    "AKID",
    "bucket-secret",
    "/mnt/usb/opsbox",
    "60",
    "", // no chat model
    "", // no embedding model
    "", // the suggested agents
  ]);
  const input = setupInput.parse(await askSetupQuestions(prompter));
  expect(input.backups).toEqual({
    enabled: true,
    bucket: "bakery",
    endpoint: "http://minio.lan:9000",
    region: "us-east-1",
    path: "opsbox",
    forcePathStyle: true,
    accessKeyId: "AKID",
    secretAccessKey: "bucket-secret",
    directory: "/mnt/usb/opsbox",
    retentionDays: 60,
  });
});

test("interactive setup asks the wizard's questions, re-asks wrong answers and yields a valid setup", async () => {
  const prompter = scripted([
    "", // organisation name: refused
    "Lex & Partners",
    "3", // legal
    "", // the industry's suggestion: soc2
    "Mars/Base", // refused
    "Europe/Vienna",
    "Lena Lawyer",
    "lena@",
    "lena@lex.example",
    "short", // refused: soc2 wants 14
    "briefcase harbour lantern",
    "briefcase harbour lantern",
    "", // e-mail: the draft log
    "n", // no backups
    "", // no chat model
    "", // no embedding model
    "", // the suggested agents
  ]);
  const raw = await askSetupQuestions(prompter);
  const input = setupInput.parse(raw);
  expect(input.organization).toEqual({
    name: "Lex & Partners",
    industry: "legal",
    complianceLevel: "soc2",
    timeZone: "Europe/Vienna",
  });
  expect(input.admin.email).toBe("lena@lex.example");
  expect(input.email).toEqual({ provider: "log" });
  // A legal practice's suggestions: the time it bills is drafted, and its invoices chased.
  expect(input.agents.defaults).toEqual(["stuck-tasks", "approval-nudger", "timesheet-drafter", "invoice-follow-up"]);
  expect(prompter.told).toContain("  Enter your organisation's name.");
  expect(prompter.told).toContain("  Enter a valid e-mail address.");
  expect(prompter.told).toContain("  Use at least 14 characters.");
  expect(prompter.told).toContain("  Choose a time zone from the list, such as Europe/Berlin or UTC.");
});

test("interactive setup offers Resend and SendGrid, and insists on their API key", async () => {
  const prompter = scripted([
    "Bakery",
    "1",
    "",
    "",
    "Bea Baker",
    "bea@bakery.example",
    "flour oven morning crust",
    "flour oven morning crust",
    "3", // Resend
    "", // no key: refused
    "re_live_123456",
    "orders@bakery.example",
    "n",
    "",
    "",
    "",
  ]);
  const input = setupInput.parse(await askSetupQuestions(prompter));
  expect(input.email).toMatchObject({ provider: "resend", apiKey: "re_live_123456", from: "orders@bakery.example" });
  expect(prompter.told).toContain("  3) Resend (API key)");
  expect(prompter.told).toContain("  4) SendGrid (API key)");
  expect(prompter.told).toContain("  Enter the API key.");
});
