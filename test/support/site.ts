// Builds the real site into a temporary folder (as `npm run build` does, with the given service URLs) and
// serves it on loopback with a static file server, as a CDN would.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
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

/** Serves `dir` on 127.0.0.1:`port`, with 404.html for unknown paths. */
export async function serveSite(dir: string, port: number): Promise<ServedSite> {
  const files = sirv(dir, { dev: true, etag: true });
  const server: Server = createServer((req, res) =>
    files(req, res, () => {
      res.statusCode = 404;
      req.url = "/404.html";
      files(req, res, () => void res.end("Not found"));
    }),
  );
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
