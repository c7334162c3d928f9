// The "Page weight" benchmark: what a reader downloads before the page can paint, and the two scripts' sizes.
// Deterministic (byte counts of a production build, gzip level 9 as the budget tests use), so no baseline:
// the targets are the budgets. The budgets are also tests: test/site/site-files.test.ts (post page HTML + CSS),
// test/site/client-bundle.test.ts (client script) and test/scripts/worker-bundle.test.ts (worker bundle).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { spawnGroup, stopGroup } from "../scripts/process-group.ts";
import { onCleanup } from "./cleanup.ts";
import { runTimed, scratchDir } from "./measure.ts";
import { buildEnv, ELEVENTY_CLI, ROOT } from "./site-copy.ts";

export const BUDGETS = { postPageGzipBytes: 14 * 1024, clientGzipBytes: 3 * 1024, workerGzipBytes: 50 * 1024 };

export interface PageWeight {
  page: string;
  htmlBytes: number;
  htmlGzipBytes: number;
  cssGzipBytes: number;
  htmlPlusCssGzipBytes: number;
  /** The document plus every render-blocking stylesheet and script in its head. */
  requestsBeforeFirstRender: number;
}

export interface PageWeightResult {
  home: PageWeight;
  post: PageWeight;
  clientBytes: number;
  clientGzipBytes: number;
  workerBytes: number;
  workerGzipBytes: number;
}

const gzipLength = (bytes: Buffer | string) => gzipSync(bytes, { level: 9 }).length;

/** Render-blocking resources: stylesheets (not media=print) and classic scripts without async or defer. */
export function blockingResources(html: string): string[] {
  const head = /<head[\s>][\s\S]*?<\/head>/i.exec(html)?.[0] ?? "";
  const found: string[] = [];
  for (const tag of head.match(/<link\b[^>]*>/gi) ?? []) {
    if (/\brel=["']?stylesheet\b/i.test(tag) && !/\bmedia=["']?print/i.test(tag)) found.push(/\bhref=["']?([^"'\s>]+)/i.exec(tag)?.[1] ?? "?");
  }
  for (const tag of head.match(/<script\b[^>]*>/gi) ?? []) {
    if (/\bsrc=/i.test(tag) && !/\b(async|defer)\b|type=["']?module/i.test(tag)) found.push(/\bsrc=["']?([^"'\s>]+)/i.exec(tag)?.[1] ?? "?");
  }
  return found;
}

function weigh(site: string, page: string): PageWeight {
  const html = readFileSync(join(site, page));
  const blocking = blockingResources(html.toString("utf8"));
  const cssGzipBytes = blocking
    .filter((url) => url.endsWith(".css"))
    .reduce((sum, url) => sum + gzipLength(readFileSync(join(site, url))), 0);
  const htmlGzipBytes = gzipLength(html);
  return {
    page,
    htmlBytes: html.length,
    htmlGzipBytes,
    cssGzipBytes,
    htmlPlusCssGzipBytes: htmlGzipBytes + cssGzipBytes,
    requestsBeforeFirstRender: 1 + blocking.length,
  };
}

/** `wrangler deploy --dry-run` bundles the worker as a deploy would, without the network. */
async function bundleWorker(outdir: string): Promise<Buffer> {
  const { child, output } = spawnGroup(join(ROOT, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--env", "production", "--outdir", outdir], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
  });
  const stop = onCleanup(() => stopGroup(child));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  await stop();
  if (code !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${output()}`);
  return readFileSync(join(outdir, "index.js"));
}

/** The heaviest of the site's real posts: the budget must hold for every one. */
function heaviestPost(site: string, slugs: string[]): PageWeight {
  return slugs.map((slug) => weigh(site, `posts/${slug}/index.html`)).sort((a, b) => b.htmlPlusCssGzipBytes - a.htmlPlusCssGzipBytes)[0]!;
}

export async function benchPageWeight(): Promise<PageWeightResult> {
  const site = scratchDir("weight-site");
  const [, worker] = await Promise.all([
    runTimed(process.execPath, [ELEVENTY_CLI, "--config=.eleventy.ts", `--output=${site}`, "--quiet"], { cwd: ROOT, env: buildEnv(site) }),
    bundleWorker(scratchDir("weight-worker")),
  ]);
  const manifest = JSON.parse(readFileSync(join(ROOT, "worker", "posts.generated.json"), "utf8")) as { posts: Record<string, unknown> };
  const client = readFileSync(join(site, "assets", "comments.js"));
  return {
    home: weigh(site, "index.html"),
    post: heaviestPost(site, Object.keys(manifest.posts)),
    clientBytes: client.length,
    clientGzipBytes: gzipLength(client),
    workerBytes: worker.length,
    workerGzipBytes: gzipLength(worker),
  };
}
