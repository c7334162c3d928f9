// `npm run deploy` (scripts/deploy.ts) end to end, without a Cloudflare account: the dry run makes every check
// and both bundles from the repository as cloned, and a real deploy stops at a failed check, naming the fix,
// before it runs Wrangler at all.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const temp = mkdtempSync(join(tmpdir(), "deploy-test-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/**
 * Runs `node scripts/deploy.ts` with no Cloudflare credentials and no comment service: no CLOUDFLARE_* variables,
 * and an empty home, so even a developer's `wrangler login` is not found and nothing can ever be deployed.
 */
function deploy(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(CLOUDFLARE_|SITE_URL$|COMMENTS_API_URL$|GITHUB_ACTIONS$)/.test(key)),
  );
  const run = spawnSync(process.execPath, [join(ROOT, "scripts", "deploy.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 110_000,
    env: {
      ...clean,
      CI: "true",
      NO_COLOR: "1",
      WRANGLER_SEND_METRICS: "false",
      COMMENTS_SNAPSHOT: join(temp, "snapshot.json"),
      HOME: join(temp, "home"),
      XDG_CONFIG_HOME: join(temp, "home", ".config"),
      ...env,
    },
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

/** The project's wrangler.toml with one edit, in a temporary folder. */
function editedConfig(name: string, edit: (toml: string) => string): string {
  const path = join(temp, `${name}.toml`);
  writeFileSync(path, edit(readFileSync(join(ROOT, "wrangler.toml"), "utf8")));
  return path;
}

describe("npm run deploy -- --dry-run", () => {
  it("passes on the repository as cloned: every check, the worker bundle and the site bundle, and deploys nothing", () => {
    const outdir = join(temp, "dry-run");
    const started = Date.now();
    const { status, output } = deploy(["--dry-run", "--outdir", outdir], { COMMENTS_API_URL: "http://127.0.0.1:9" });
    console.log(`deploy --dry-run: ${Date.now() - started} ms; ${output.match(/worker bundle .*/)?.[0]}`);
    expect(status, output).toBe(0);
    expect(output).not.toContain("[FAIL]");
    expect(output).toMatch(/\[warn\] KV namespace COMMENTS: "REPLACE_WITH_PRODUCTION_KV_ID" is a placeholder/);
    expect(output).toMatch(/\[skip\] secrets: not checked, because wrangler secret list needs a Cloudflare account/);
    expect(output).toContain("$ wrangler deploy --config wrangler.toml --env production --dry-run");
    expect(output).toContain("$ wrangler deploy --config site.wrangler.jsonc --assets");

    expect(existsSync(join(outdir, "worker", "index.js"))).toBe(true);
    expect(existsSync(join(outdir, "site-worker"))).toBe(true);
    // The site is built for the production address from wrangler.toml, and keeps its _headers for Workers assets.
    const home = readFileSync(join(outdir, "site", "index.html"), "utf8");
    expect(home).toContain('<link rel="canonical" href="https://blog.leadershipacademy.nhs.uk/">');
    expect(readFileSync(join(outdir, "site", "_headers"), "utf8")).toContain("Content-Security-Policy");
    expect(existsSync(join(outdir, "site", "404.html"))).toBe(true);
  });

  it("fails, naming the fix, when SITE_URL and ALLOWED_ORIGINS disagree", () => {
    const config = editedConfig("origins", (toml) =>
      toml.replace(/(\[env\.production\.vars\][^[]*ALLOWED_ORIGINS = )"[^"]*"/, '$1"https://elsewhere.example.org"'),
    );
    const { status, output } = deploy(["--dry-run", "--config", config, "--outdir", join(temp, "origins")]);
    expect(status).toBe(1);
    expect(output).toContain("[FAIL] ALLOWED_ORIGINS (https://elsewhere.example.org) does not include the site's origin");
    expect(output).toContain("fix: add https://blog.leadershipacademy.nhs.uk to ALLOWED_ORIGINS in");
    expect(output).not.toContain("$ wrangler deploy");
  });
});

describe("npm run deploy", () => {
  it("stops before deploying anything when production's KV id is the placeholder, naming the command that fixes it", () => {
    const { status, output } = deploy([], { COMMENTS_API_URL: "https://comments.example.org" });
    expect(status).toBe(1);
    expect(output).toMatch(/\[FAIL\] KV namespace COMMENTS: "REPLACE_WITH_PRODUCTION_KV_ID" is a placeholder/);
    expect(output).toContain("fix: npx wrangler kv namespace create COMMENTS --env production");
    expect(output).toContain("Nothing was deployed.");
    expect(output).not.toContain("$ wrangler");
  });

  it("with a real KV id but no account, stops at the secrets check and says how to log in", () => {
    const config = editedConfig("real-id", (toml) => toml.replace("REPLACE_WITH_PRODUCTION_KV_ID", "0123456789abcdef0123456789abcdef"));
    const { status, output } = deploy(["--config", config], { COMMENTS_API_URL: "https://comments.example.org" });
    expect(status).toBe(1);
    expect(output).toContain("[ok]   KV namespace COMMENTS: 0123456789abcdef0123456789abcdef");
    expect(output).toContain("[FAIL] wrangler secret list failed:");
    expect(output).toContain("fix: npx wrangler login (or set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID)");
    expect(output).not.toContain("$ wrangler deploy");
  });

  it("refuses an unknown --only", () => {
    const { status, output } = deploy(["--only", "everything"]);
    expect(status).toBe(2);
    expect(output).toContain("--only must be worker or site");
  });
});
