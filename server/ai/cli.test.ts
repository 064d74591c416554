import { afterAll, describe, expect } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../testing/cli.ts";
import { makeTempDir } from "../testing/harness.ts";
import { testModelPath, testWith } from "../testing/test-model.ts";

const _CLI = join(import.meta.dir, "..", "cli.ts");
const dataDir = makeTempDir("opsbox-models-cli-");
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const opsbox = (...args: string[]) => runCli(["models", ...args], { OPSBOX_DATA_DIR: dataDir });

describe("opsbox models", () => {
  testWith(
    "model",
    "import, list, use, refuse deleting what is in use, delete",
    async () => {
      expect((await opsbox("list")).stdout).toContain("No models are installed");
      const imported = await opsbox("import", testModelPath() ?? "", "--name", "Stories");
      expect(imported.code).toBe(0);
      const id = /as (mdl_\w+)/.exec(imported.stdout)?.[1] ?? "";
      expect(id).toMatch(/^mdl_/);

      const used = await opsbox("use", id, "--for", "chat");
      expect(used).toMatchObject({ code: 0, stdout: `${id} now serves chat.\n` });
      const listed = await opsbox("list");
      expect(listed.stdout).toContain(`${id}  Stories (serves chat)`);
      expect(listed.stdout).toContain("llama · 293K parameters · F32 · 2048 context · 64-d · 1.2 MB");

      const refused = await opsbox("delete", id);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("serves chat");
      expect((await opsbox("use", "none", "--for", "chat")).code).toBe(0);
      expect((await opsbox("delete", id)).code).toBe(0);
      expect((await opsbox("list")).stdout).toContain("No models are installed");
    },
    30_000,
  );

  testWith("model", "a bad role, a missing file and an unreachable source are one line and exit 1", async () => {
    const badRole = await opsbox("use", "mdl_x", "--for", "poetry");
    expect(badRole).toMatchObject({ code: 1, stderr: "opsbox: for: must be chat or embedding\n" });
    const missing = await opsbox("import", join(dataDir, "nothing.gguf"));
    expect(missing).toMatchObject({ code: 1, stderr: "opsbox: path: No file at this path on the box.\n" });
    const loopback = await opsbox("pull", "https://127.0.0.1/model.gguf");
    expect(loopback.code).toBe(1);
    expect(loopback.stderr).toStartWith("opsbox: url: Refused to reach 127.0.0.1");
  });
});
