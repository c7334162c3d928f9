// Temporary copies of the site on tmpfs for the build benchmarks: the project (its real config, layouts, site/
// and client/, with posts/ replaced by generated posts) and the bare Eleventy baseline on the same posts.
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { generatePosts } from "./generate-posts.ts";
import { scratchDir } from "./measure.ts";

export const ROOT = join(import.meta.dirname, "..");
const BASELINE = join(import.meta.dirname, "baseline-eleventy");
/** Eleventy's CLI, run with this Node (24) rather than whatever `node` the shell has. */
export const ELEVENTY_CLI = join(ROOT, "node_modules", "@11ty", "eleventy", "cmd.cjs");

/** What the project's build reads: .eleventy.ts wires site/, layouts/ and posts/; site/ bundles client/ and renders comments with worker/. */
const PROJECT_SOURCES = [".eleventy.ts", "package.json", "site", "layouts", "client", "worker"];

export interface SiteCopy {
  dir: string;
  /** The Eleventy config file, relative to `dir`. */
  config: string;
  slugs: string[];
}

function linkNodeModules(dir: string): void {
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
}

/** The project with `count` generated posts (and posts/'s directory data files, which every post needs). */
export function copyProject(count: number, seed: number): SiteCopy {
  const dir = scratchDir(`site-${count}`);
  for (const source of PROJECT_SOURCES) {
    if (existsSync(join(ROOT, source))) cpSync(join(ROOT, source), join(dir, source), { recursive: true });
  }
  mkdirSync(join(dir, "posts"));
  for (const name of readdirSync(join(ROOT, "posts"))) {
    if (!name.endsWith(".md")) cpSync(join(ROOT, "posts", name), join(dir, "posts", name), { recursive: true });
  }
  linkNodeModules(dir);
  return { dir, config: ".eleventy.ts", slugs: generatePosts(join(dir, "posts"), count, seed) };
}

/** Bare Eleventy (bench/baseline-eleventy) with the same generated posts. */
export function copyBaseline(count: number, seed: number): SiteCopy {
  const dir = scratchDir(`baseline-${count}`);
  cpSync(BASELINE, dir, { recursive: true });
  linkNodeModules(dir);
  return { dir, config: "eleventy.config.ts", slugs: generatePosts(join(dir, "posts"), count, seed) };
}

/**
 * The environment of a benchmark build: the default site addresses, and a comment service that is not there
 * (a closed loopback port) with no snapshot, so no build ever waits on, or is shaped by, a running worker.
 */
export function buildEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SITE_URL: "http://localhost:8080",
    COMMENTS_API_URL: "http://127.0.0.1:9",
    COMMENTS_SNAPSHOT: join(dir, ".cache", "no-snapshot.json"),
  };
  delete env.ELEVENTY_RUN_MODE;
  return env;
}

/** Eleventy's CLI arguments for a clean build of `copy` into `output`. */
export function eleventyArgs(copy: SiteCopy, output: string, extra: string[] = []): string[] {
  return [ELEVENTY_CLI, `--config=${copy.config}`, `--output=${output}`, "--quiet", ...extra];
}
