// `npm run deploy`: the comment worker, then the site, to Cloudflare, for a first or a later deploy (docs/deploy.md).
// It checks everything first (scripts/deploy/checks.ts) and says which command fixes what is missing; then it
// runs `wrangler deploy --env production` for the worker, builds the site with the production SITE_URL and
// COMMENTS_API_URL, and deploys it as Workers static assets (site.wrangler.jsonc). `--dry-run` makes every
// check that needs no account and both bundles, and deploys nothing. .github/workflows/deploy.yml runs it too.
//
// Usage: npm run deploy -- [--dry-run] [--only worker|site] [--env production] [--outdir <dir>]
//                          [--config wrangler.toml] [--site-config site.wrangler.jsonc]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { checkKvNamespaces, checkSecrets, checkUrls, type Check } from "./deploy/checks.ts";
import { readSiteConfig, readWorkerConfig, type WorkerConfig } from "./deploy/config.ts";

const ROOT = resolve(import.meta.dirname, "..");
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const ELEVENTY = join(ROOT, "node_modules", "@11ty", "eleventy", "cmd.cjs");
const USAGE =
  "Usage: npm run deploy -- [--dry-run] [--only worker|site] [--env production] [--outdir <dir>] " +
  "[--config wrangler.toml] [--site-config site.wrangler.jsonc]";
const LABEL = { ok: "[ok]  ", warn: "[warn]", fail: "[FAIL]", skip: "[skip]" } as const;

const env = process.env;
const inActions = env.GITHUB_ACTIONS === "true";

function print(text = ""): void {
  process.stdout.write(`${text}\n`);
}

/** Prints checks; returns true when none failed. In GitHub Actions a failure is also an error annotation. */
function report(checks: Check[]): boolean {
  for (const check of checks) {
    print(`  ${LABEL[check.status]} ${check.message}`);
    if (check.fix && check.status !== "ok") print(`         fix: ${check.fix}`);
    if (check.status === "fail" && inActions) {
      print(`::error title=npm run deploy::${check.message}${check.fix ? `. Fix: ${check.fix}` : ""}`.replaceAll("\n", " "));
    }
  }
  return checks.every((check) => check.status !== "fail");
}

function wranglerEnv(): NodeJS.ProcessEnv {
  return { ...env, WRANGLER_SEND_METRICS: env.WRANGLER_SEND_METRICS ?? "false" };
}

/** Runs a command from the repository root with its output shown; exits with its failure. */
function step(title: string, command: string[], extraEnv: Record<string, string> = {}): void {
  const shown = command.map((part) => (part === WRANGLER ? "wrangler" : part === ELEVENTY ? "eleventy" : part.replace(`${ROOT}/`, "")));
  print(`\n${title}\n  $ ${shown.join(" ")}`);
  const started = Date.now();
  const [script = "", ...args] = command;
  const run = spawnSync(process.execPath, [script, ...args], { cwd: ROOT, stdio: "inherit", env: { ...wranglerEnv(), ...extraEnv } });
  if (run.status !== 0) {
    print(`\nnpm run deploy: "${title}" failed (exit ${run.status ?? run.signal}). Nothing after it ran.`);
    process.exit(1);
  }
  print(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** The secret names set on the deployed worker, or a failed check when Wrangler cannot list them. */
function listSecrets(config: WorkerConfig, envName: string | undefined): string[] | Check {
  const args = ["secret", "list", "--config", resolve(config.path), "--format", "json", ...(envName ? ["--env", envName] : [])];
  const run = spawnSync(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...wranglerEnv(), NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.status === 0) {
    const json = run.stdout.slice(run.stdout.indexOf("["));
    return (JSON.parse(json) as { name: string }[]).map((secret) => secret.name);
  }
  // A first deploy: the worker does not exist yet, so it has no secrets. `wrangler secret put` creates it.
  if (/\b10007\b|does not exist|not found/i.test(output)) return [];
  // Wrangler colours its errors even with NO_COLOR set.
  const lines = output.replace(/\u001b\[[0-9;]*m/g, "").split("\n").map((line) => line.trim()).filter((line) => line && !line.startsWith("🪵"));
  const reason = (lines.find((line) => line.includes("[ERROR]")) ?? lines.pop() ?? "").replace(/^✘\s*\[ERROR\]\s*/, "");
  return {
    status: "fail",
    message: `wrangler secret list failed: ${reason}`,
    fix: "npx wrangler login (or set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID), then run npm run deploy again",
  };
}

function folderSize(dir: string): { files: number; bytes: number } {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return { files: files.length, bytes: files.reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0) };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: {
        "dry-run": { type: "boolean", default: false },
        only: { type: "string" },
        env: { type: "string", default: "production" },
        outdir: { type: "string" },
        config: { type: "string", default: "wrangler.toml" },
        "site-config": { type: "string", default: "site.wrangler.jsonc" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`npm run deploy: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const options = parsed.values;
  if (options.help) return print(USAGE);
  if (options.only !== undefined && options.only !== "worker" && options.only !== "site") {
    console.error(`npm run deploy: --only must be worker or site\n${USAGE}`);
    process.exit(2);
  }
  const dryRun = options["dry-run"];
  const envName = options.env || undefined;
  const deployWorker = options.only !== "site";
  const deploySite = options.only !== "worker";
  // Paths as given (shown in messages); commands get them absolute, as they run from the repository root.
  const worker = readWorkerConfig(options.config, envName);
  const site = readSiteConfig(options["site-config"]);

  // The site's address comes from the worker's config, so the two agree unless SITE_URL overrides it.
  const siteUrl = env.SITE_URL?.trim() || worker.vars.SITE_URL || "";
  const commentsApiUrl = env.COMMENTS_API_URL?.trim() || undefined;
  const target = `${envName ?? "top-level"} environment${dryRun ? ", dry run: nothing is deployed" : ""}`;
  print(`npm run deploy: ${[deployWorker && "the worker", deploySite && "the site"].filter(Boolean).join(" then ")} (${target})`);

  print("\nChecks");
  const checks = [
    ...(deployWorker ? checkKvNamespaces(worker, { dryRun }) : []),
    ...checkUrls(worker, { siteUrl, commentsApiUrl }, { dryRun }),
  ];
  if (deploySite && !site.assetsDirectory) {
    checks.push({ status: "fail", message: `${site.path} has no assets.directory`, fix: `set "assets": { "directory": "./_site" } in ${site.path}` });
  }
  if (deployWorker && dryRun) {
    checks.push({ status: "skip", message: "secrets: not checked, because wrangler secret list needs a Cloudflare account (a real deploy checks them)" });
  }
  if (!report(checks)) {
    print("\nnpm run deploy: fix the [FAIL] lines above, then run it again. Nothing was deployed.");
    process.exit(1);
  }
  if (deployWorker && !dryRun) {
    const secrets = listSecrets(worker, envName);
    if (!report(Array.isArray(secrets) ? checkSecrets(worker, secrets) : [secrets])) {
      print("\nnpm run deploy: fix the [FAIL] lines above, then run it again. Nothing was deployed.");
      process.exit(1);
    }
  }

  const outdir = resolve(options.outdir ?? mkdtempSync(join(tmpdir(), dryRun ? "deploy-dry-run-" : "deploy-")));
  mkdirSync(outdir, { recursive: true });
  const envArgs = envName ? ["--env", envName] : [];
  const dryArgs = (dir: string): string[] => (dryRun ? ["--dry-run", "--outdir", join(outdir, dir)] : []);
  const summary: string[] = [];

  if (deployWorker) {
    // Wrangler runs wrangler.toml's [build] command (the post manifest) first, and applies any Durable Object
    // [[migrations]] itself as part of the deploy.
    step("Worker", [WRANGLER, "deploy", "--config", resolve(worker.path), ...envArgs, ...dryArgs("worker")]);
    if (dryRun) {
      const bundle = readFileSync(join(outdir, "worker", "index.js"));
      summary.push(`worker bundle ${kb(bundle.length)} (${kb(gzipSync(bundle).length)} gzipped)`);
    }
  }

  if (deploySite) {
    // A fresh folder every time: Eleventy never deletes from its output, so a post deleted or made a draft
    // since the last build would otherwise still be uploaded from an old _site/.
    const siteDir = join(outdir, "site");
    const buildEnv: Record<string, string> = { SITE_URL: siteUrl };
    if (commentsApiUrl !== undefined) buildEnv.COMMENTS_API_URL = commentsApiUrl;
    step("Site build", [ELEVENTY, "--config=.eleventy.ts", `--output=${siteDir}`, "--quiet"], buildEnv);
    step("Site", [WRANGLER, "deploy", "--config", resolve(site.path), "--assets", siteDir, ...dryArgs("site-worker")]);
    const size = folderSize(siteDir);
    summary.push(`site ${size.files} files, ${kb(size.bytes)}`);
  }

  print(`\nnpm run deploy: done${dryRun ? ` (dry run, nothing deployed; output in ${outdir})` : ""}.`);
  if (summary.length > 0) print(`  ${summary.join("; ")}`);
}

main();
