// The documentation stays true to the repository: every relative link in README.md, SECURITY.md, docs/ and the
// worker folders' READMEs reaches a file (and a heading, for a #fragment, by GitHub's anchor rules); every
// `npm run <script>` they name is a script of package.json; every moderation CLI command they name is one the CLI
// knows, read from its own command table.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../scripts/moderate/cli.ts";

const ROOT = join(import.meta.dirname, "..", "..");

interface Repo {
  root: string;
  /** package.json's script names. */
  scripts: ReadonlySet<string>;
  /** What may follow `npm run moderate --`: the CLI's commands and its help. */
  commands: ReadonlySet<string>;
}

const REPO: Repo = {
  root: ROOT,
  scripts: new Set(Object.keys((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: object }).scripts)),
  commands: new Set([...Object.keys(COMMANDS), "help", "--help", "-h"]),
};

/** The documentation pages, as paths from the repository root. */
function docPages(): string[] {
  const inFolder = (folder: string, pick: (name: string) => boolean) =>
    existsSync(join(ROOT, folder)) ? readdirSync(join(ROOT, folder)).filter(pick).map((name) => `${folder}/${name}`) : [];
  const workerReadmes = readdirSync(join(ROOT, "worker"))
    .filter((name) => statSync(join(ROOT, "worker", name)).isDirectory() && existsSync(join(ROOT, "worker", name, "README.md")))
    .map((name) => `worker/${name}/README.md`);
  return ["README.md", "SECURITY.md", ...inFolder("docs", (name) => name.endsWith(".md")), ...workerReadmes];
}

const FENCE = /^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm;
const CODE_SPAN = /(`+)[\s\S]*?\1/g;

/** The anchor GitHub gives a heading: its text lowercased, punctuation dropped, spaces as hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of markdown.replace(FENCE, "").matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const text = heading!.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*]/g, "");
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const [, id] of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id!);
  return anchors;
}

/** Every problem with one page's links, scripts and commands, each naming the page and what is wrong. */
function docProblems(page: string, markdown: string, repo: Repo = REPO): string[] {
  const problems: string[] = [];
  const prose = markdown.replace(FENCE, "").replace(CODE_SPAN, "");
  const targets = [
    ...[...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!),
    ...[...prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!),
  ];
  for (const target of targets) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like are not files here
    const [path = "", fragment] = target.split("#", 2);
    if (path === "") {
      if (!headingAnchors(markdown).has(fragment!.toLowerCase())) problems.push(`${page}: the link ${target} names no heading of this page`);
      continue;
    }
    const file = resolve(dirname(join(repo.root, page)), decodeURIComponent(path));
    if (!existsSync(file)) {
      problems.push(`${page}: the link ${target} leads to ${relative(repo.root, file)}, which does not exist`);
      continue;
    }
    if (fragment === undefined) continue;
    if (!file.endsWith(".md") || !headingAnchors(readFileSync(file, "utf8")).has(fragment.toLowerCase())) {
      problems.push(`${page}: the link ${target} names #${fragment}, which is no heading of ${relative(repo.root, file)}`);
    }
  }
  for (const [, script] of markdown.matchAll(/\bnpm run(?: -s| --silent)? ([a-z][\w:.-]*)/g)) {
    if (!repo.scripts.has(script!)) problems.push(`${page}: "npm run ${script}" is not a script of package.json`);
  }
  for (const [, script] of markdown.matchAll(/\bnpm (start|test)\b/g)) {
    if (!repo.scripts.has(script!)) problems.push(`${page}: "npm ${script}" is not a script of package.json`);
  }
  const code = [...markdown.matchAll(FENCE), ...markdown.replace(FENCE, "").matchAll(CODE_SPAN)].map((m) => m[0]).join("\n");
  for (const [, command] of code.matchAll(/(?:^|[\s`])(?:npm run(?: -s| --silent)? )?moderate(?: --)? ([^\s`|]+)/gm)) {
    if (command!.startsWith("<") || command === "...") continue; // a placeholder: `npm run moderate -- <command>`
    if (!repo.commands.has(command!)) problems.push(`${page}: "moderate ${command}" is not a command of the moderation CLI`);
  }
  return problems;
}

describe("the documentation", () => {
  const pages = docPages();

  it("covers the README, SECURITY.md, every docs/ page and the worker folders' READMEs", () => {
    expect(pages).toEqual(expect.arrayContaining(["README.md", "SECURITY.md", "docs/api.md", "docs/deploy.md", "worker/ledger/README.md"]));
  });

  it("links only to files and headings that exist, and names only real scripts and CLI commands", () => {
    const problems = pages.flatMap((page) => docProblems(page, readFileSync(join(ROOT, page), "utf8")));
    expect(problems).toEqual([]);
  });

  it("keeps the README a page, not a manual: at most 150 lines", () => {
    expect(readFileSync(join(ROOT, "README.md"), "utf8").trimEnd().split("\n").length).toBeLessThanOrEqual(150);
  });

  it("reports a link to a missing page, a missing heading, an unknown script and an unknown command", () => {
    const broken = [
      "See [the guide](no-such-page.md) and [deploying](deploy.md#no-such-heading).",
      "Run `npm run no-such-script` or `npm run moderate -- frobnicate`.",
    ].join("\n");
    expect(docProblems("docs/example.md", broken)).toEqual([
      "docs/example.md: the link no-such-page.md leads to docs/no-such-page.md, which does not exist",
      "docs/example.md: the link deploy.md#no-such-heading names #no-such-heading, which is no heading of docs/deploy.md",
      'docs/example.md: "npm run no-such-script" is not a script of package.json',
      'docs/example.md: "moderate frobnicate" is not a command of the moderation CLI',
    ]);
  });

  it("accepts what the pages really use: code-formatted headings, fragments, placeholders and help", () => {
    const fine = [
      "# The `/admin` page", "## The worker's settings", "## Errors", "## Errors",
      "[admin](#the-admin-page) [settings](#the-workers-settings) [again](#errors-1) [api](api.md#errors)",
      "```sh\nnpm run -s moderate -- export > backup.json\nnpm run moderate -- --help\n```",
      "`npm run moderate -- <command>`, [GitHub](https://github.com/) and `[not a link](nowhere.md)`.",
    ].join("\n");
    expect(docProblems("docs/example.md", fine)).toEqual([]);
  });
});
