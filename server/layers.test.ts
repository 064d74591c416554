/**
 * The layer rules of docs/architecture.md, read from the import graph of server/, views/ and
 * models/ (tests and test kits left out: they may import anything).
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { Glob } from "bun";

const root = join(import.meta.dir, "..");

type Import = { from: string; to: string; typeOnly: boolean };

const testOnly = /(\.test\.tsx?|test-kit\.tsx?|test-helpers\.ts|\.d\.ts)$|^server\/testing\//;

function sourceFiles(): string[] {
  return [...new Glob("{server,views,models}/**/*.{ts,tsx}").scanSync(root)].filter((file) => !testOnly.test(file));
}

const transpilers = {
  ts: new Bun.Transpiler({ loader: "ts" }),
  tsx: new Bun.Transpiler({ loader: "tsx" }),
};
/** Every specifier, type-only ones included (the transpiler drops those). */
const anySpecifier = /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/g;

function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  return relative(root, normalize(join(root, dirname(from), specifier)));
}

function readImports(): Import[] {
  const imports: Import[] = [];
  for (const file of sourceFiles()) {
    const code = readFileSync(join(root, file), "utf8");
    const transpiler = file.endsWith(".tsx") ? transpilers.tsx : transpilers.ts;
    const runtime = new Set(
      transpiler
        .scanImports(code)
        .map((entry) => resolve(file, entry.path))
        .filter((path) => path !== null),
    );
    const all = new Set<string>();
    for (const match of code.matchAll(anySpecifier)) {
      const path = resolve(file, match[1] ?? match[2] ?? "");
      if (path) all.add(path);
    }
    for (const to of all) imports.push({ from: file, to, typeOnly: !runtime.has(to) });
  }
  return imports;
}

const imports = readImports();
const runtimeImports = imports.filter((entry) => !entry.typeOnly);

/**
 * The unit a cycle is counted between: a folder under server/ (each folder of server/work/ on
 * its own), a file directly in server/ or server/work/, views/ and models/.
 */
function capabilityOf(path: string): string {
  const parts = path.split("/");
  if (parts[0] !== "server") return parts[0] ?? path;
  if (parts.length === 2 || (parts[1] === "work" && parts.length === 3)) return path.replace(/\.tsx?$/, "");
  return parts.slice(0, parts[1] === "work" ? 3 : 2).join("/");
}

function offending(list: Import[], rule: (entry: Import) => boolean): string[] {
  return list.filter(rule).map((entry) => `${entry.from} imports ${entry.to}`);
}

const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`);

describe("layers", () => {
  test("the graph is read (a broken scan would pass every rule)", () => {
    expect(imports.length).toBeGreaterThan(1000);
    expect(runtimeImports.some((entry) => entry.to === "server/http/errors.ts")).toBe(true);
    expect(imports.some((entry) => entry.typeOnly && entry.to === "server/http/env.ts")).toBe(true);
  });

  test("server/tools imports nothing of the app", () => {
    expect(
      offending(imports, (entry) => under("server/tools")(entry.from) && !under("server/tools")(entry.to)),
    ).toEqual([]);
  });

  test("server/http imports only server/tools at run time (and types)", () => {
    const allowed = (to: string) => under("server/http")(to) || under("server/tools")(to) || to === "package.json";
    expect(offending(runtimeImports, (entry) => under("server/http")(entry.from) && !allowed(entry.to))).toEqual([]);
  });

  test("server/auth never imports server/setup or server/work", () => {
    expect(
      offending(
        imports,
        (entry) =>
          under("server/auth")(entry.from) && (under("server/setup")(entry.to) || under("server/work")(entry.to)),
      ),
    ).toEqual([]);
  });

  test("views import server code only as types or from server/tools", () => {
    expect(
      offending(
        runtimeImports,
        (entry) => under("views")(entry.from) && under("server")(entry.to) && !under("server/tools")(entry.to),
      ),
    ).toEqual([]);
  });

  test("models import no server code at run time", () => {
    expect(offending(runtimeImports, (entry) => under("models")(entry.from) && under("server")(entry.to))).toEqual([]);
  });

  test("no code outside tests imports the test helpers", () => {
    expect(offending(imports, (entry) => testOnly.test(entry.to))).toEqual([]);
  });

  test("no import cycle between capability folders", () => {
    const edges = new Map<string, Map<string, string>>();
    for (const entry of runtimeImports) {
      const from = capabilityOf(entry.from);
      const to = capabilityOf(entry.to);
      if (from === to) continue;
      const targets = edges.get(from) ?? new Map<string, string>();
      if (!targets.has(to)) targets.set(to, `${entry.from} imports ${entry.to}`);
      edges.set(from, targets);
    }
    expect(findCycles(edges)).toEqual([]);
  });
});

/** Each cycle once, as the imports that close it, found by a depth-first walk. */
function findCycles(edges: Map<string, Map<string, string>>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (node: string) => {
    seen.add(node);
    stack.push(node);
    for (const [next] of edges.get(node) ?? []) {
      if (!seen.has(next)) visit(next);
      else if (!done.has(next) && stack.includes(next)) {
        const loop = [...stack.slice(stack.indexOf(next)), next];
        cycles.push(loop.slice(1).map((to, index) => edges.get(loop[index] ?? "")?.get(to) ?? to));
      }
    }
    stack.pop();
    done.add(node);
  };
  for (const node of [...edges.keys()].sort()) if (!seen.has(node)) visit(node);
  return cycles;
}
