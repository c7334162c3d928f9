// `npm run bench`: build speed, rebuild time, page weight, API throughput, time to comments, KV cost and how a
// moderation action scales with the comments stored, each next to a baseline measured in the same run. Prints a Markdown table (docs/benchmarks.md) and
// writes bench/results.json. `npm run bench -- --quick` runs everything smaller (under a minute).
//
// Options: --quick   smaller sizes, fewer runs, shorter loads
//          --only=site,rebuild,weight,api,browser,kv,moderation   run some sections (rebuild needs site)
//          --posts=N[,N]  the site build's numbers of generated posts (default 1000,4000; rebuild uses the first)
//          --runs=N  timed builds of each target per size, after one warm-up (default 5)
//          --seed=N  the post generator's seed (default 7)
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { freePort, startWorker } from "../test/support/wrangler-dev.ts";
import { benchApi, POST, prepareApi, type ApiOptions } from "./api-throughput.ts";
import { cleanupAll, onCleanup } from "./cleanup.ts";
import { DEFAULT_SEED } from "./generate-posts.ts";
import { benchKvCost } from "./kv-cost.ts";
import { benchModerationScale, type ModerationScaleOptions } from "./moderation-scale.ts";
import { round, scratchDir } from "./measure.ts";
import { benchPageWeight } from "./page-weight.ts";
import { benchRebuild } from "./rebuild.ts";
import { benchSiteBuild } from "./site-build.ts";
import { ROOT } from "./site-copy.ts";
import { renderTable, type BenchResults } from "./table.ts";
import { benchTimeToComments, serveBuiltSite } from "./time-to-comments.ts";

interface Sizes {
  buildPosts: number[];
  buildRuns: number;
  rebuildEdits: number;
  api: ApiOptions;
  browserLoads: number;
  moderation: ModerationScaleOptions;
}

/** Every size is here, so the quick run is the full run scaled down, not a different benchmark. */
const FULL: Sizes = {
  buildPosts: [1_000, 4_000],
  buildRuns: 5,
  rebuildEdits: 5,
  api: { threadComments: 20, getConnections: 50, getSeconds: 10, warmupSeconds: 2, posts: 500, postConnections: 20, rounds: 5 },
  browserLoads: 10,
  moderation: { sizes: [200, 2_000, 20_000, 100_000], posts: 500, approvalsPerSize: 9 },
};
const QUICK: Sizes = {
  buildPosts: [100, 300],
  buildRuns: 2,
  rebuildEdits: 3,
  api: { threadComments: 20, getConnections: 50, getSeconds: 1, warmupSeconds: 0.5, posts: 100, postConnections: 20, rounds: 2 },
  browserLoads: 3,
  moderation: { sizes: [200, 2_000, 5_000], posts: 100, approvalsPerSize: 5 },
};
const SECTIONS = ["kv", "weight", "site", "rebuild", "api", "browser", "moderation"] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    posts: { type: "string" },
    runs: { type: "string" },
    seed: { type: "string" },
  },
});

/** A whole number of at least 1 from the command line, or exit naming the option. */
function countOption(name: string, text: string): number {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name}: expected whole numbers of at least 1, got "${text}"`);
    process.exit(2);
  }
  return n;
}

const sizes: Sizes = {
  ...(values.quick ? QUICK : FULL),
  ...(values.posts === undefined ? {} : { buildPosts: values.posts.split(",").map((n) => countOption("posts", n)) }),
  ...(values.runs === undefined ? {} : { buildRuns: countOption("runs", values.runs) }),
};
const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
const only = new Set((values.only?.split(",") ?? SECTIONS).map((s) => s.trim()));
const unknown = [...only].filter((s) => !SECTIONS.includes(s as Section));
if (unknown.length > 0) {
  console.error(`unknown section(s): ${unknown.join(", ")}; choose from ${SECTIONS.join(", ")}`);
  process.exit(2);
}
const wants = (section: Section) => only.has(section);
const log = (line: string) => console.error(line);
const version = (pkg: string) => (JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;

const results: BenchResults = { errors: {} };
const seconds: Record<string, number> = {};

/** Runs one section; a failure is recorded and the others still run. */
async function section<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  const started = performance.now();
  log(`${name}…`);
  try {
    return await run();
  } catch (error) {
    results.errors[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`${name} FAILED: ${results.errors[name]}`);
    return undefined;
  } finally {
    seconds[name] = round((performance.now() - started) / 1000, 1);
  }
}

/** Starts the worker, seeds it, starts the ceiling and serves the site for the browser: setup, never timed. */
async function startServers() {
  const sitePort = await freePort();
  const siteUrl = `http://127.0.0.1:${sitePort}`;
  // Local KV on tmpfs, like the builds: the disk's noise is no part of the worker's throughput.
  const persistTo = scratchDir("worker-kv");
  const worker = await startWorker({ env: "test", persistTo, vars: { SITE_URL: siteUrl, ALLOWED_ORIGINS: siteUrl } });
  onCleanup(() => worker.stop());
  // The site is built after the thread is seeded, so a build that draws comments into the pages gets them.
  const api = await prepareApi(worker, sizes.api, () => (wants("browser") ? serveBuiltSite(siteUrl, sitePort, worker.url) : Promise.resolve("")));
  return { worker, api, siteUrl, siteDir: api.alongside };
}

const started = performance.now();
try {
  // Setup, byte counts and KV counts are not timings: they may share the CPU. Timed sections run alone.
  const [kv, weight, servers] = await Promise.all([
    wants("kv") ? section("kv", benchKvCost) : undefined,
    wants("weight") ? section("weight", benchPageWeight) : undefined,
    wants("api") || wants("browser") ? section("servers", startServers) : undefined,
  ]);
  results.kv = kv;
  results.weight = weight;

  if (wants("site")) {
    const site = await section("site", () => benchSiteBuild(sizes.buildPosts, sizes.buildRuns, seed, log));
    results.site = site;
    if (site && wants("rebuild")) {
      results.rebuild = await section("rebuild", () => benchRebuild(site.firstCopy, sizes.rebuildEdits, site.sizes[0]!.projectMs, log));
    }
  }

  if (servers && wants("api")) results.api = await section("api", () => benchApi(servers.worker, servers.api, sizes.api, log));
  if (servers && wants("browser")) {
    results.timeToComments = await section("browser", () =>
      benchTimeToComments({ siteUrl: servers.siteUrl, siteDir: servers.siteDir, post: POST, comments: sizes.api.threadComments, loads: sizes.browserLoads }));
  }
  if (wants("moderation")) results.moderation = await section("moderation", () => benchModerationScale(sizes.moderation, log));
} finally {
  await cleanupAll();
}

const { firstCopy: _firstCopy, ...site } = results.site ?? { firstCopy: undefined };
const report = {
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? "unknown",
    memoryGiB: round(totalmem() / 1024 ** 3, 1),
    kernel: release(),
  },
  node: process.version,
  versions: { eleventy: version("@11ty/eleventy"), wrangler: version("wrangler"), autocannon: version("autocannon"), "playwright-core": version("playwright-core") },
  date: new Date().toISOString(),
  mode: values.quick ? "quick" : "full",
  seed,
  sizes,
  secondsPerSection: seconds,
  totalSeconds: round((performance.now() - started) / 1000, 1),
  results: { ...results, site: results.site ? site : undefined },
};
writeFileSync(join(import.meta.dirname, "results.json"), `${JSON.stringify(report, null, 2)}\n`);

console.log(`\n${renderTable(results)}\n`);
console.log(`Machine: ${report.machine.cpus} × ${report.machine.model}, ${report.machine.memoryGiB} GiB, Node ${report.node}; ${report.mode} run on ${report.date} in ${report.totalSeconds} s.`);
console.log("Every figure: bench/results.json");
if (Object.keys(results.errors).length > 0) process.exitCode = 1;
