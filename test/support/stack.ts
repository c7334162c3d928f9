// The whole product on loopback, for browser tests: the real worker under `wrangler dev --env test`, the site built
// against it by the production build, served as a CDN would, and Debian's Chromium. Comments a test needs in the
// static pages are put in by `beforeBuild`, which runs once the worker is up and before the site is built.
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { expect } from "vitest";
import { launchBrowser } from "./browser.ts";
import { runBuild, serveSite, type ServedSite } from "./site.ts";
import { freePort, startWorker, type RunningWorker } from "./wrangler-dev.ts";

/** The comments that came from the old WordPress site (as `npm start` imports them). */
export const SEED_COMMENTS = readFileSync(new URL("../../comments/seed.json", import.meta.url), "utf8");

export interface Stack {
  worker: RunningWorker;
  site: ServedSite;
  browser: Browser;
  /** The site's origin, also the worker's SITE_URL and only allowed origin. */
  siteUrl: string;
  /** What the build printed. */
  buildOutput: string;
  /** A moderator API call with the worker's token (JSON). */
  admin(path: string, init?: RequestInit): Promise<Response>;
  /** Imports comments (the export format, as an array or JSON text); the test fails if the worker refuses them. */
  importComments(comments: unknown[] | string): Promise<void>;
  /** Submits a comment from the site's origin as the page's script does, and returns its id. */
  submit(fields: { post: string; author: string; email: string; body: string; parentId?: string }): Promise<string>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Runs before the build: put in the comments the static pages should carry. */
  beforeBuild?: (stack: Pick<Stack, "worker" | "siteUrl" | "admin" | "importComments" | "submit">) => Promise<void>;
  /** Serve the site with the headers of its `_headers` file, as Cloudflare does. */
  headers?: boolean;
  /** Where the build keeps its comments snapshot (default: a fresh file). */
  snapshot?: string;
  /** More worker vars, e.g. a short EDIT_WINDOW_SECONDS. */
  vars?: Record<string, string>;
}

/** Starts the worker, builds and serves the site, launches Chromium. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sitePort = await freePort();
  const siteUrl = `http://127.0.0.1:${sitePort}`;
  const worker = await startWorker({ env: "test", vars: { SITE_URL: siteUrl, ALLOWED_ORIGINS: siteUrl, ...options.vars } });
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${worker.url}/api/admin${path}`, {
      ...init,
      headers: { authorization: `Bearer ${worker.token}`, "content-type": "application/json", ...init.headers },
    });
  const importComments = async (comments: unknown[] | string) => {
    const response = await admin("/import", { method: "POST", body: typeof comments === "string" ? comments : JSON.stringify(comments) });
    expect(response.status, await response.clone().text()).toBe(200);
  };
  const submit: Stack["submit"] = async (fields) => {
    const response = await fetch(`${worker.url}/api/comments`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: siteUrl },
      body: JSON.stringify(fields),
    });
    expect(response.status, await response.clone().text()).toBe(202);
    return ((await response.json()) as { id: string }).id;
  };
  try {
    await options.beforeBuild?.({ worker, siteUrl, admin, importComments, submit });
    const { dir, output } = await runBuild({ SITE_URL: siteUrl, COMMENTS_API_URL: worker.url, COMMENTS_SNAPSHOT: options.snapshot });
    const site = await serveSite(dir, sitePort, { headers: options.headers ?? false });
    const browser = await launchBrowser();
    return {
      worker, site, browser, siteUrl, buildOutput: output, admin, importComments, submit,
      async stop() {
        await browser.close();
        await site.stop();
        await worker.stop();
      },
    };
  } catch (error) {
    await worker.stop();
    throw error;
  }
}
