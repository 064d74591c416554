import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { apiAs } from "../auth/people/people-test-kit.ts";
import { uploadAs } from "../knowledge/test-kit.ts";
import { runCli } from "../testing/cli.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createOrganization, sessionCookie, setUpBox } from "../testing/identity.ts";

let box: TestApp;
let orgId = "";
beforeAll(async () => {
  box = await startTestApp();
  const setUp = await setUpBox(box);
  orgId = setUp.orgId;
  const cookie = sessionCookie(box, setUp.adminId, orgId);
  const admin = apiAs(box, cookie);
  for (const title of ["One", "Two"]) expect((await admin("POST", "/api/v1/tasks", { title })).status).toBe(201);
  expect((await uploadAs(box, cookie, "# Manual\n\nPressure 1.2 bar.\n", "manual.md")).status).toBe(202);
  const other = await createOrganization(box, "Globex");
  const otherAdmin = apiAs(box, sessionCookie(box, other.adminId, other.orgId));
  expect((await otherAdmin("POST", "/api/v1/tasks", { title: "Globex secret plan" })).status).toBe(201);
});
afterAll(() => box.close());

test("export --org writes the organisation's tables and files, with progress on stderr and no secrets", async () => {
  const out = join(box.dataDir, "acme.zip");
  const result = await runCli(["export", "--org", "Acme Ltd", "--out", out], { OPSBOX_DATA_DIR: box.dataDir });
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^Exported \d+ rows and 1 files to /);
  expect(result.stderr).toMatch(/rows \d+\/\d+ · files 1\/1/);
  const files = unzipSync(new Uint8Array(readFileSync(out)));
  const text = (name: string) => new TextDecoder().decode(files[name]);
  const taskTitles = (JSON.parse(text("tables/tasks.json")) as { title: string }[]).map((task) => task.title).sort();
  expect(taskTitles).toEqual(["One", "Two"]);
  expect(Object.keys(files).some((name) => name.startsWith("files/") && name.endsWith("-manual.md"))).toBe(true);
  const everything = Object.values(files)
    .map((bytes) => new TextDecoder().decode(bytes))
    .join("\n");
  expect(everything).not.toContain("Globex secret plan");
  expect(everything).not.toContain("$argon2");
  expect(everything).not.toContain("secret_hash");
  expect(JSON.parse(text("people.json"))).toEqual([expect.objectContaining({ email: "admin@example.com" })]);
});

test("export --org of an unknown organisation fails with one line", async () => {
  const result = await runCli(["export", "--org", "Nobody"], { OPSBOX_DATA_DIR: box.dataDir });
  expect(result.code).toBe(1);
  expect(result.stderr).toBe("opsbox: No such organisation.\n");
});
