// No import circles in the project's code: a module that imports, however indirectly, a module that imports it
// is hard to read alone and breaks when one side starts running code at load time. Types-only imports count too:
// a circle of types still means the two sides should share one module of types instead.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const FOLDERS = ["worker", "client", "admin", "site", "scripts"];

/** The relative specifiers a module's source imports or re-exports, `import type` and dynamic `import()` included. */
function relativeImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found = [
    ...code.matchAll(/\b(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/g),
    ...code.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g),
    ...code.matchAll(/\bimport\s+["']([^"']+)["']/g),
  ];
  return found.map((match) => match[1]!).filter((specifier) => specifier.startsWith("."));
}

function typeScriptFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : typeScriptFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Each module (path from the repo root) with the project modules it imports, following imports out of `folders`. */
function importGraph(folders: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = folders.flatMap((folder) => typeScriptFiles(join(ROOT, folder)));
  while (pending.length > 0) {
    const file = pending.pop()!;
    const key = relative(ROOT, file);
    if (graph.has(key)) continue;
    const targets = relativeImports(readFileSync(file, "utf8"))
      .map((specifier) => resolve(dirname(file), specifier))
      .filter((target) => target.endsWith(".ts") && existsSync(target));
    graph.set(key, targets.map((target) => relative(ROOT, target)));
    pending.push(...targets);
  }
  return graph;
}

/** Every import circle found by a depth-first walk, each as the chain of modules from one back to itself. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (module: string) => {
    const open = path.indexOf(module);
    if (open !== -1) return void cycles.push([...path.slice(open), module]);
    if (done.has(module)) return;
    path.push(module);
    for (const target of graph.get(module) ?? []) visit(target);
    path.pop();
    done.add(module);
  };
  for (const module of [...graph.keys()].sort()) visit(module);
  return cycles;
}

describe("imports between the project's modules", () => {
  it("form no circle in worker/, client/, admin/, site/ or scripts/", () => {
    const graph = importGraph(FOLDERS);
    expect(graph.size).toBeGreaterThan(50);
    expect(importCycles(graph).map((cycle) => cycle.join(" -> "))).toEqual([]);
  });

  it("are read from every form a module uses: type-only, re-exports, multi-line and dynamic imports", () => {
    const source = [
      'import type { A } from "./a.ts";',
      'import {\n  b,\n  type C,\n} from "../b.ts";',
      'export type { D } from "./d.ts";',
      'const e = await import("./e.ts");',
      'import "./f.ts";',
      'import { readFileSync } from "node:fs";',
      '// import { old } from "./commented-out.ts";',
    ].join("\n");
    expect(relativeImports(source)).toEqual(["./a.ts", "../b.ts", "./d.ts", "./e.ts", "./f.ts"]);
  });

  it("would report a circle of any length, and none where two modules share a third", () => {
    const circle = new Map([["client/api.ts", ["worker/comment.ts"]], ["worker/comment.ts", ["client/markup.ts"]], ["client/markup.ts", ["client/api.ts"]]]);
    expect(importCycles(circle)).toEqual([["client/api.ts", "worker/comment.ts", "client/markup.ts", "client/api.ts"]]);
    const shared = new Map([["cli.ts", ["desk.ts", "command.ts"]], ["desk.ts", ["command.ts"]], ["command.ts", []]]);
    expect(importCycles(shared)).toEqual([]);
  });
});
