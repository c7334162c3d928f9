// Builds the real site into a temporary folder (as `npm run build` does, with the given service URLs) and
// serves it on loopback with a static file server, as a CDN would.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import sirv from "sirv";

const ROOT = join(import.meta.dirname, "..", "..");

export interface ServedSite {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

export interface BuildEnv {
  SITE_URL: string;
  COMMENTS_API_URL: string;
  /** Where the build keeps its comments snapshot (default: a fresh temporary file, so tests never share one). */
  COMMENTS_SNAPSHOT?: string;
}

/** Runs the production build into a temporary folder; returns the folder and what the build printed. */
export async function runBuild(env: BuildEnv): Promise<{ dir: string; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), "site-"));
  const snapshot = env.COMMENTS_SNAPSHOT ?? join(mkdtempSync(join(tmpdir(), "snapshot-")), "comments.json");
  const { stdout, stderr } = await promisify(execFile)("npx", ["eleventy", "--config=.eleventy.ts", `--output=${dir}`, "--quiet"], {
    cwd: ROOT,
    env: { ...process.env, ...env, COMMENTS_SNAPSHOT: snapshot },
  });
  return { dir, output: `${stdout}${stderr}` };
}

/** Runs the production build into a temporary folder and returns that folder. */
export async function buildSite(env: BuildEnv): Promise<string> {
  return (await runBuild(env)).dir;
}

/** One rule of a `_headers` file: the paths it matches and the headers it sets on them. */
export interface HeaderRule {
  pattern: RegExp;
  headers: Array<[string, string]>;
}

/**
 * Parses the `_headers` format of Cloudflare Pages and Workers static assets
 * (https://developers.cloudflare.com/pages/configuration/headers/): a path pattern on its own line (`*` matches
 * anything, `:name` one segment), then its headers indented as `Name: value`; `#` starts a comment line.
 */
export function parseHeadersFile(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      const source = line.trim().replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/:\w+/g, "[^/]+");
      rules.push({ pattern: new RegExp(`^${source}$`), headers: [] });
      continue;
    }
    const colon = line.indexOf(":");
    const rule = rules.at(-1);
    if (!rule || colon < 0) throw new Error(`_headers: a header outside a rule, or without a colon: ${line}`);
    rule.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return rules;
}

/** The headers `rules` give a path; a header several matching rules set gets their values joined with ", ". */
export function headersFor(rules: HeaderRule[], path: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const rule of rules.filter((r) => r.pattern.test(path))) {
    for (const [name, value] of rule.headers) headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}

export interface ServeOptions {
  /** Apply `<dir>/_headers` to every response, as Cloudflare does (and never serve the file itself). */
  headers?: boolean;
}

/** Serves `dir` on 127.0.0.1:`port`, with 404.html for unknown paths (and, on request, the `_headers` rules). */
export async function serveSite(dir: string, port: number, options: ServeOptions = {}): Promise<ServedSite> {
  const files = sirv(dir, { dev: true, etag: true });
  const rules = options.headers ? parseHeadersFile(readFileSync(join(dir, "_headers"), "utf8")) : [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://site").pathname;
    for (const [name, value] of Object.entries(headersFor(rules, path))) res.setHeader(name, value);
    const notFound = () => {
      res.statusCode = 404;
      req.url = "/404.html";
      files(req, res, () => void res.end("Not found"));
    };
    if (options.headers && path === "/_headers") {
      res.statusCode = 404;
      res.end("Not found");
    } else files(req, res, notFound);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
