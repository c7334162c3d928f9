// The "Time to comments" benchmark: Chromium loads a post with 20 approved comments from the locally served site and
// the worker under `wrangler dev`; we time from navigation start until the thread's title (`.comments-title`) is
// in the DOM, and count every byte the page transferred (Chrome DevTools Protocol Network events, so the
// cross-origin API response counts too). The baseline of each load is its own first contentful paint: the ratio
// says how long after the page paints the comments appear. Each load gets a fresh browser context (cold cache).
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import sirv from "sirv";
import { launchBrowser } from "../test/support/browser.ts";
import { onCleanup } from "./cleanup.ts";
import { median, round, scratchDir } from "./measure.ts";
import { ELEVENTY_CLI, ROOT } from "./site-copy.ts";

export interface TimeToCommentsResult {
  loads: number;
  post: string;
  comments: number;
  /** Whether the built page already carried the thread (server-rendered) rather than the script drawing it. */
  threadInHtml: boolean;
  timeToCommentsMs: number;
  firstContentfulPaintMs: number;
  /** When the script's request for the thread JSON finished (null when the page made none). */
  threadJsonMs: number | null;
  ratioToFirstPaint: number;
  transferredBytes: number;
  requests: number;
  runsMs: number[];
}

const COMPRESSIBLE = /\.(html|css|js|json|xml|txt|svg)$/;

/** Gzips every text file beside itself, as a CDN would send it (sirv serves the .gz to gzip-capable clients). */
function precompress(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const file = join(dir, entry);
    if (COMPRESSIBLE.test(entry) && statSync(file).isFile()) writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
  }
}

/**
 * Builds the real site against the running worker (so any build-time comments come from it) and serves it on
 * loopback with gzip, as a CDN would. Untimed: `npm run bench` runs it beside the deterministic sections.
 */
export async function serveBuiltSite(siteUrl: string, port: number, apiUrl: string): Promise<string> {
  const dir = scratchDir("ttc-site");
  await promisify(execFile)(process.execPath, [ELEVENTY_CLI, "--config=.eleventy.ts", `--output=${dir}`, "--quiet"], {
    cwd: ROOT,
    env: { ...process.env, SITE_URL: siteUrl, COMMENTS_API_URL: apiUrl, COMMENTS_SNAPSHOT: join(scratchDir("ttc-cache"), "snapshot.json") },
  });
  precompress(dir);
  const files = sirv(dir, { gzip: true, etag: true });
  const server: Server = createServer((req, res) => files(req, res, () => {
    res.statusCode = 404;
    res.end("Not found");
  }));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return dir;
}

/** Records when `.comments-title` first appears, on the page's own clock (ms since navigation start). */
const OBSERVE_THREAD = `(() => {
  const mark = () => {
    if (window.__commentsAt === undefined && document.querySelector(".comments-title")) window.__commentsAt = performance.now();
  };
  new MutationObserver(mark).observe(document, { childList: true, subtree: true });
})();`;

/** Whether the page's request for the thread JSON has completed (a resource timing entry exists once it has). */
const THREAD_FETCHED = `performance.getEntriesByType("resource").some((e) => e.name.includes("/api/comments?post="))`;

/** The page's own clock: thread in the DOM, first contentful paint, thread JSON received (null if never asked). */
const READ_TIMINGS = `(() => {
  const api = performance.getEntriesByType("resource").find((e) => e.name.includes("/api/comments?post="));
  return {
    comments: window.__commentsAt,
    paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
    threadJson: api ? api.responseEnd : null,
  };
})()`;

interface LoadTimings {
  comments: number;
  paint: number;
  threadJson: number | null;
}

export async function benchTimeToComments(options: { siteUrl: string; siteDir: string; post: string; comments: number; loads: number }): Promise<TimeToCommentsResult> {
  const dir = options.siteDir;
  const threadInHtml = readFileSync(join(dir, "posts", options.post, "index.html"), "utf8").includes("comments-title");
  const browser: Browser = await launchBrowser();
  const closeBrowser = onCleanup(() => browser.close());
  const times: number[] = [];
  const paints: number[] = [];
  const apiTimes: number[] = [];
  const bytes: number[] = [];
  const requests: number[] = [];
  try {
    for (let i = 0; i < options.loads; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(OBSERVE_THREAD);
      const cdp = await context.newCDPSession(page);
      let transferred = 0;
      let finished = 0;
      const inFlight = new Set<string>();
      cdp.on("Network.requestWillBeSent", (event) => inFlight.add(event.requestId));
      cdp.on("Network.loadingFinished", (event) => {
        inFlight.delete(event.requestId);
        transferred += event.encodedDataLength;
        finished++;
      });
      cdp.on("Network.loadingFailed", (event) => inFlight.delete(event.requestId));
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      await page.goto(`${options.siteUrl}/posts/${options.post}/`, { waitUntil: "load" });
      await page.waitForSelector(".comments-title", { timeout: 30_000 });
      const title = await page.locator(".comments-title").textContent();
      if (!title?.includes(String(options.comments))) throw new Error(`expected ${options.comments} comments, the page says "${title}"`);
      // The script asks the worker for the thread; wait for that answer (and any other request) to finish, so its
      // bytes are counted. A page that never asks (a future fully static thread) just has no API time.
      await page.waitForFunction(THREAD_FETCHED, undefined, { timeout: 5_000 }).catch(() => undefined);
      for (let waited = 0; inFlight.size > 0 && waited < 5_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      const timing = (await page.evaluate(READ_TIMINGS)) as LoadTimings;
      times.push(timing.comments);
      paints.push(timing.paint);
      if (timing.threadJson !== null) apiTimes.push(timing.threadJson);
      bytes.push(transferred);
      requests.push(finished);
      await context.close();
    }
  } finally {
    await closeBrowser();
  }
  const timeToCommentsMs = median(times);
  const firstContentfulPaintMs = median(paints);
  return {
    loads: options.loads,
    post: options.post,
    comments: options.comments,
    threadInHtml,
    timeToCommentsMs: round(timeToCommentsMs, 1),
    firstContentfulPaintMs: round(firstContentfulPaintMs, 1),
    threadJsonMs: apiTimes.length > 0 ? round(median(apiTimes), 1) : null,
    ratioToFirstPaint: round(timeToCommentsMs / firstContentfulPaintMs),
    transferredBytes: median(bytes),
    requests: median(requests),
    runsMs: times.map((t) => round(t, 1)),
  };
}
