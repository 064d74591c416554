/**
 * .env.example lists every variable server/config.ts reads, with its default; the appliance's
 * environment file sets none that it does not read.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configVariables, loadConfig } from "./config.ts";
import { makeTempDir } from "./testing/harness.ts";

const REPO = join(import.meta.dir, "..");

type Entry = { name: string; value: string; active: boolean; comment: string | null };

/** `NAME=value` sets a default, `#NAME=` names a variable that is unset by default. */
function readExample(path: string): Entry[] {
  const lines = readFileSync(path, "utf8").split("\n");
  return lines.flatMap((line, index) => {
    const match = line.match(/^(#?)([A-Z][A-Z0-9_]*)=(.*)$/);
    if (!match) return [];
    const previous = lines[index - 1] ?? "";
    const comment = previous.startsWith("# ") ? previous : null;
    return [{ name: match[2] ?? "", value: match[3] ?? "", active: match[1] === "", comment }];
  });
}

const example = readExample(join(REPO, ".env.example"));
const listed = example.map((entry) => entry.name);

describe(".env.example", () => {
  test("lists every variable that server/config.ts reads", () => {
    const missing = configVariables
      .filter((name) => !listed.includes(name))
      .map((name) => `${name}: read by server/config.ts, missing from .env.example`);
    expect(missing).toEqual([]);
  });

  test("lists no variable that server/config.ts does not read, and each once", () => {
    const unknown = listed
      .filter((name) => !configVariables.includes(name))
      .map((name) => `${name}: in .env.example, not read by server/config.ts`);
    expect(unknown).toEqual([]);
    expect(listed.filter((name, index) => listed.indexOf(name) !== index)).toEqual([]);
  });

  test("says in a comment line above each variable what it is", () => {
    expect(example.filter((entry) => entry.comment === null).map((entry) => entry.name)).toEqual([]);
  });

  test("its values are the defaults: loading them gives the same configuration as an empty environment", () => {
    const dataDir = makeTempDir("opsbox-env-example-");
    const values = Object.fromEntries(
      example.filter((entry) => entry.active).map((entry) => [entry.name, entry.value]),
    );
    expect(loadConfig({ ...values, OPSBOX_DATA_DIR: dataDir })).toEqual(loadConfig({ OPSBOX_DATA_DIR: dataDir }));
    expect(values.OPSBOX_DATA_DIR).toBe("./data");
  });
});

test("appliance/opsbox.env sets only variables that server/config.ts reads", () => {
  const names = readFileSync(join(REPO, "appliance", "opsbox.env"), "utf8")
    .split("\n")
    .flatMap((line) => line.match(/^([A-Z][A-Z0-9_]*)=/)?.[1] ?? []);
  expect(names.filter((name) => !configVariables.includes(name))).toEqual([]);
  expect(names).toContain("OPSBOX_DATA_DIR");
});
