// Bundles the comment script (client/) into the site with esbuild, as part of the Eleventy build.
// One small file, no framework; its gzipped size is budgeted by a test (<= 3 KB).
import type { UserConfig } from "@11ty/eleventy";
import { build } from "esbuild";
import { existsSync } from "node:fs";
import { join, resolve, sep } from "node:path";

const CLIENT_DIR = join(import.meta.dirname, "..", "client");
export const CLIENT_ENTRY = join(CLIENT_DIR, "comments.ts");
export const CLIENT_OUTPUT = "assets/comments.js";

/** How the project bundles a script for the browser (the comment script, the /admin page's): minified, for 2020 on. */
export const BROWSER_BUNDLE = { bundle: true, minify: true, format: "iife", target: "es2020", legalComments: "none", logLevel: "warning" } as const;

/** Writes `<outputDir>/assets/comments.js`. */
export async function bundleClient(outputDir: string): Promise<void> {
  await build({ entryPoints: [CLIENT_ENTRY], outfile: join(outputDir, CLIENT_OUTPUT), ...BROWSER_BUNDLE });
}

/** True for a path (relative to the working directory, as Eleventy's watcher reports it) inside client/. */
export function isClientSource(path: string): boolean {
  return resolve(path).startsWith(CLIENT_DIR + sep);
}

/**
 * Bundles the script on every build of a fresh Eleventy (so `npm run build` always writes it), and under
 * `npm start` again only when a file in client/ changed or the output lost it: an author's edit to a post
 * should not wait for a bundle that cannot have changed. esbuild starts with the build and works in its own
 * process while Eleventy renders; the build ends when both have.
 */
export function addClientBundle(eleventyConfig: UserConfig): void {
  let stale = true;
  let bundling: Promise<void> | undefined;
  eleventyConfig.on("eleventy.beforeWatch", (changedFiles) => {
    if (changedFiles.some(isClientSource)) stale = true;
  });
  eleventyConfig.on("eleventy.before", ({ directories }) => {
    bundling = stale || !existsSync(join(directories.output, CLIENT_OUTPUT)) ? bundleClient(directories.output) : undefined;
    // Awaited, and so reported, in eleventy.after; this only keeps Node from calling it unhandled meanwhile.
    bundling?.catch(() => undefined);
  });
  eleventyConfig.on("eleventy.after", async () => {
    if (!bundling) return;
    await bundling;
    stale = false;
  });
}
