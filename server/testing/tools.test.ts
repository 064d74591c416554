import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { missingTool, testModelPath } from "./tools.ts";

const PROJECT_ROOT = join(import.meta.dir, "..", "..");
const FIXTURE = join(PROJECT_ROOT, "test-fixtures", "models", "stories260K.gguf");

describe("the test model", () => {
  const saved = process.env.OPSBOX_TEST_MODEL;
  afterEach(() => {
    if (saved === undefined) delete process.env.OPSBOX_TEST_MODEL;
    else process.env.OPSBOX_TEST_MODEL = saved;
  });

  test("ships in the repository and is found there by default", () => {
    delete process.env.OPSBOX_TEST_MODEL;
    expect(testModelPath()).toBe(FIXTURE);
    expect(missingTool("model")).toBeNull();
  });

  test("is the file its notice describes, with its licence beside it", () => {
    const notice = readFileSync(join(PROJECT_ROOT, "test-fixtures", "models", "NOTICE.md"), "utf8");
    const sha256 = new Bun.CryptoHasher("sha256").update(readFileSync(FIXTURE)).digest("hex");
    expect(notice).toContain(sha256);
    expect(readFileSync(join(PROJECT_ROOT, "test-fixtures", "models", "LICENSE"), "utf8")).toContain("MIT License");
  });

  test("OPSBOX_TEST_MODEL names another model, and a missing one is reported, not replaced", () => {
    process.env.OPSBOX_TEST_MODEL = FIXTURE;
    expect(testModelPath()).toBe(FIXTURE);
    process.env.OPSBOX_TEST_MODEL = "/nowhere/model.gguf";
    expect(testModelPath()).toBeNull();
    expect(missingTool("model")).toContain("/nowhere/model.gguf");
  });

  test("nothing outside the repository is looked at", () => {
    const source = readFileSync(join(import.meta.dir, "tools.ts"), "utf8");
    expect(source).not.toContain('"shared"');
    expect(source).not.toContain("../shared");
  });
});
