// Bundles the comment script (client/) into the site with esbuild, as part of every Eleventy build.
// One small file, no framework; its gzipped size is budgeted by a test (<= 3 KB).
import { build } from "esbuild";
import { join } from "node:path";

export const CLIENT_ENTRY = join(import.meta.dirname, "..", "client", "comments.ts");
export const CLIENT_OUTPUT = "assets/comments.js";

/** Writes `<outputDir>/assets/comments.js`, minified, for browsers from 2020 on. */
export async function bundleClient(outputDir: string): Promise<void> {
  await build({
    entryPoints: [CLIENT_ENTRY],
    outfile: join(outputDir, CLIENT_OUTPUT),
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    legalComments: "none",
    logLevel: "warning",
  });
}
