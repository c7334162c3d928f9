// scripts/deploy/checks.ts and config.ts: what `npm run deploy` checks before it deploys, and the fix it names.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkKvNamespaces,
  checkSecrets,
  checkUrls,
  isPlaceholderKvId,
  OPTIONAL_SECRETS,
  REQUIRED_SECRETS,
} from "../../scripts/deploy/checks.ts";
import { readSiteConfig, readWorkerConfig, type WorkerConfig } from "../../scripts/deploy/config.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const REAL_ID = "0123456789abcdef0123456789abcdef";
const SITE = "https://blog.example.org";

function workerConfig(overrides: Partial<WorkerConfig> = {}): WorkerConfig {
  return {
    path: "wrangler.toml",
    env: "production",
    name: "comments",
    kvNamespaces: [{ binding: "COMMENTS", id: REAL_ID }],
    topLevelKvBindings: ["COMMENTS"],
    vars: { SITE_URL: SITE, ALLOWED_ORIGINS: `${SITE},http://localhost:8080` },
    ...overrides,
  };
}

/** A wrangler.toml in a temporary folder; returns its path. */
function writeToml(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "deploy-config-")), "wrangler.toml");
  writeFileSync(path, text);
  return path;
}

const statuses = (checks: { status: string }[]): string[] => checks.map((check) => check.status);

describe("checkKvNamespaces", () => {
  it("passes a real 32-hex-digit namespace id", () => {
    expect(statuses(checkKvNamespaces(workerConfig(), { dryRun: false }))).toEqual(["ok"]);
  });

  it("stops a real deploy on the placeholder id, naming the command that creates the namespace", () => {
    const config = workerConfig({ kvNamespaces: [{ binding: "COMMENTS", id: "REPLACE_WITH_PRODUCTION_KV_ID" }] });
    const [check] = checkKvNamespaces(config, { dryRun: false });
    expect(check).toMatchObject({ status: "fail", message: expect.stringContaining("REPLACE_WITH_PRODUCTION_KV_ID") });
    expect(check?.fix).toContain("npx wrangler kv namespace create COMMENTS --env production");
    expect(check?.fix).toContain("wrangler.toml [env.production] kv_namespaces");
  });

  it("only warns about the placeholder in a dry run, which deploys nothing", () => {
    const config = workerConfig({ kvNamespaces: [{ binding: "COMMENTS", id: "REPLACE_WITH_PRODUCTION_KV_ID" }] });
    expect(statuses(checkKvNamespaces(config, { dryRun: true }))).toEqual(["warn"]);
  });

  it.each([["00000000000000000000000000000000"], ["<id>"], [""], [undefined]])("treats %j as a placeholder", (id) => {
    expect(isPlaceholderKvId(id)).toBe(true);
  });

  it("fails a malformed id even in a dry run: that is a mistake, not a step still to do", () => {
    const config = workerConfig({ kvNamespaces: [{ binding: "COMMENTS", id: "abc123" }] });
    expect(statuses(checkKvNamespaces(config, { dryRun: true }))).toEqual(["fail"]);
  });

  it("fails a top-level KV binding that the environment does not declare again (Wrangler does not inherit it)", () => {
    const config = workerConfig({ topLevelKvBindings: ["COMMENTS", "SESSIONS"] });
    const checks = checkKvNamespaces(config, { dryRun: true });
    expect(statuses(checks)).toEqual(["ok", "fail"]);
    expect(checks[1]?.message).toContain("SESSIONS is bound at the top level of wrangler.toml but not in [env.production]");
  });
});

describe("checkUrls", () => {
  const urls = { siteUrl: SITE, commentsApiUrl: "https://comments.example.org" };

  it("passes when the site, the worker's SITE_URL and ALLOWED_ORIGINS agree", () => {
    expect(statuses(checkUrls(workerConfig(), urls, { dryRun: false }))).toEqual(["ok", "ok", "ok"]);
  });

  it("fails a site built for another address than the worker's SITE_URL", () => {
    const checks = checkUrls(workerConfig(), { ...urls, siteUrl: "https://other.example.org" }, { dryRun: true });
    expect(checks[0]).toMatchObject({ status: "fail", fix: expect.stringContaining("[env.production.vars]") });
  });

  it("fails ALLOWED_ORIGINS without the site's origin, naming what to add", () => {
    const config = workerConfig({ vars: { SITE_URL: `${SITE}/blog/`, ALLOWED_ORIGINS: "https://elsewhere.example.org" } });
    const checks = checkUrls(config, { ...urls, siteUrl: `${SITE}/blog` }, { dryRun: true });
    expect(statuses(checks)).toEqual(["ok", "fail", "ok"]);
    expect(checks[1]?.fix).toBe(`add ${SITE} to ALLOWED_ORIGINS in wrangler.toml [env.production.vars]`);
  });

  it("needs COMMENTS_API_URL for a real deploy, and a dry run only warns", () => {
    const missing = { siteUrl: SITE, commentsApiUrl: undefined };
    expect(checkUrls(workerConfig(), missing, { dryRun: false })[2]).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("COMMENTS_API_URL="),
    });
    expect(checkUrls(workerConfig(), missing, { dryRun: true })[2]?.status).toBe("warn");
  });

  it("refuses a local comment service for a real deploy", () => {
    const local = { siteUrl: SITE, commentsApiUrl: "http://localhost:8787" };
    expect(checkUrls(workerConfig(), local, { dryRun: false })[2]?.status).toBe("fail");
  });
});

describe("checkSecrets", () => {
  it("names the command for each required secret that is missing", () => {
    const checks = checkSecrets(workerConfig(), ["IP_HASH_SALT", "NOTIFY_WEBHOOK_URL"]);
    expect(checks[0]).toMatchObject({ status: "fail", fix: expect.stringContaining("npx wrangler secret put MODERATOR_TOKEN --env production") });
    expect(checks[1]?.status).toBe("ok");
    expect(checks[2]?.message).toBe("optional secrets set: NOTIFY_WEBHOOK_URL");
  });

  it("passes when both required secrets are set", () => {
    expect(statuses(checkSecrets(workerConfig(), ["MODERATOR_TOKEN", "IP_HASH_SALT"]))).toEqual(["ok", "ok", "ok"]);
  });

  it("knows every secret the worker declares in worker/env.d.ts, and no other", () => {
    const declared = readFileSync(join(ROOT, "worker", "env.d.ts"), "utf8");
    const secrets = [...declared.matchAll(/^\s+([A-Z_]+)\?: string;/gm)].map((match) => match[1]);
    const settings = ["DEPLOY_HOOK_MIN_INTERVAL_SECONDS", "KV_WRITE_SPACING_MS", "EDIT_WINDOW_SECONDS", "EDIT_KEEPS_APPROVAL",
      "MAIL_TRANSPORT", "MAIL_DEV_URL", "MAIL_DAILY_LIMIT", "MAIL_RECIPIENT_GAP_MINUTES", "MAIL_RETRY_BASE_SECONDS"];
    expect([...REQUIRED_SECRETS, ...OPTIONAL_SECRETS].sort()).toEqual(secrets.filter((name) => !settings.includes(name ?? "")).sort());
  });
});

describe("readWorkerConfig", () => {
  it("reads the production environment of the project's wrangler.toml", () => {
    const config = readWorkerConfig(join(ROOT, "wrangler.toml"), "production");
    expect(config.kvNamespaces).toEqual([{ binding: "COMMENTS", id: "REPLACE_WITH_PRODUCTION_KV_ID" }]);
    expect(config.topLevelKvBindings).toEqual(["COMMENTS"]);
    expect(config.vars.SITE_URL).toMatch(/^https:\/\//);
  });

  it("ignores sections it does not check, such as Durable Objects and their migrations", () => {
    const path = writeToml(`
name = "w"
main = "index.ts"
[[kv_namespaces]]
binding = "COMMENTS"
id = "00000000000000000000000000000000"
[[durable_objects.bindings]]
name = "ROOMS"
class_name = "Room"
[[migrations]]
tag = "v1"
new_sqlite_classes = ["Room"]
[env.production]
kv_namespaces = [{ binding = "COMMENTS", id = "${REAL_ID}" }]
durable_objects.bindings = [{ name = "ROOMS", class_name = "Room" }]
[env.production.vars]
SITE_URL = "${SITE}"
ALLOWED_ORIGINS = "${SITE}"
`);
    const config = readWorkerConfig(path, "production");
    expect(checkKvNamespaces(config, { dryRun: false })).toEqual([{ status: "ok", message: `KV namespace COMMENTS: ${REAL_ID}` }]);
    expect(statuses(checkUrls(config, { siteUrl: SITE, commentsApiUrl: "https://c.example.org" }, { dryRun: false }))).toEqual(["ok", "ok", "ok"]);
  });

  it("says so when the environment is missing", () => {
    expect(() => readWorkerConfig(writeToml('name = "w"\n'), "production")).toThrow("has no [env.production] section");
  });
});

describe("readSiteConfig", () => {
  it("reads the committed site config: Workers static assets from _site", () => {
    expect(readSiteConfig(join(ROOT, "site.wrangler.jsonc"))).toMatchObject({ name: "leadership-academy-blog", assetsDirectory: "./_site" });
  });
});
