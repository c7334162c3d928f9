// Builds the /admin page (admin/) into worker/admin-page.generated.json: { html, css, script }, the script bundled
// and minified by esbuild from admin/admin.ts. The worker imports the file and serves the three (worker/desk/admin-page.ts),
// so the page's script is a type-checked TypeScript program yet needs no asset hosting: one deploy ships it.
// wrangler.toml's [build] runs this before every `wrangler dev` and `wrangler deploy`, and `npm test` runs it first.
//
// Usage: node scripts/write-admin-page.ts [outFile]   (default: worker/admin-page.generated.json)
import { build } from "esbuild";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { BROWSER_BUNDLE } from "../site/client-bundle.ts";

const ROOT = resolve(import.meta.dirname, "..");
export const ADMIN_DIR = join(ROOT, "admin");

/** The built page: markup (with a {{SITE_URL}} placeholder), stylesheet and bundled script. */
export interface AdminPage {
  html: string;
  css: string;
  script: string;
}

/** Bundles admin/admin.ts (minified, for browsers from 2020 on) and reads the page's markup and stylesheet. */
export async function buildAdminPage(): Promise<AdminPage> {
  const result = await build({
    entryPoints: [join(ADMIN_DIR, "admin.ts")],
    format: "iife",
    target: "es2020",
    ...BROWSER_BUNDLE,
    write: false,
  });
  return {
    html: readFileSync(join(ADMIN_DIR, "page.html"), "utf8"),
    css: readFileSync(join(ADMIN_DIR, "admin.css"), "utf8"),
    script: result.outputFiles[0]!.text,
  };
}

/** Builds the page and writes it where the worker imports it from. */
export async function writeAdminPage(outFile: string): Promise<AdminPage> {
  const page = await buildAdminPage();
  mkdirSync(dirname(outFile), { recursive: true });
  // Written whole, then renamed: wrangler dev in the browser tests rebuilds it while other tests may bundle it.
  const partial = `${outFile}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(page)}\n`);
  renameSync(partial, outFile);
  return page;
}

if (import.meta.main) {
  const outFile = resolve(process.argv[2] ?? join(ROOT, "worker", "admin-page.generated.json"));
  const page = await writeAdminPage(outFile);
  console.log(`write-admin-page: admin.js ${page.script.length} bytes -> ${relative(process.cwd(), outFile)}`);
}
