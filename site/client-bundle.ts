// Bundles the comment script (client/) into the site with esbuild, as part of the Eleventy build.
// Two small ES modules, no framework: comments.js, on every page (budget 3 KB gzipped), and take-back.js, the author's
// Edit and Delete ("take it back"), which comments.js imports only when the reader has a comment of their own to take
// back (its own budget). Both are entry points, so neither shares a chunk with the other: one request for a reader.
import type { UserConfig } from "@11ty/eleventy";
import { build } from "esbuild";
import { existsSync } from "node:fs";
import { join, resolve, sep } from "node:path";

const CLIENT_DIR = join(import.meta.dirname, "..", "client");
export const CLIENT_ENTRY = join(CLIENT_DIR, "comments.ts");
export const CLIENT_OUTPUT = "assets/comments.js";
export const TAKE_BACK_OUTPUT = "assets/take-back.js";

/** What every browser script the project bundles shares (the comment script, the /admin page's): minified. */
export const BROWSER_BUNDLE = { bundle: true, minify: true, legalComments: "none", logLevel: "warning" } as const;

/** Writes `<outputDir>/assets/comments.js` and `take-back.js`, ES modules for browsers from 2021 on. */
export async function bundleClient(outputDir: string): Promise<void> {
  await build({
    entryPoints: { comments: CLIENT_ENTRY, "take-back": join(CLIENT_DIR, "take-back.ts") },
    outdir: join(outputDir, "assets"),
    format: "esm",
    splitting: true,
    target: "es2021",
    ...BROWSER_BUNDLE,
  });
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
