// The checks `npm run deploy` makes before it deploys anything. Each one says what is wrong and the
// command that fixes it. Pure functions of the parsed configs and the environment, so they are tested alone.
import type { KvNamespace, WorkerConfig } from "./config.ts";

/**
 * The secrets the worker needs in production (worker/env.d.ts): without MODERATOR_TOKEN the admin API is off,
 * and without IP_HASH_SALT the rate-limit and email hashes are unsalted.
 */
export const REQUIRED_SECRETS = ["MODERATOR_TOKEN", "IP_HASH_SALT"] as const;
/** Secrets the worker reads when they are set (worker/env.d.ts). */
export const OPTIONAL_SECRETS = [
  "TURNSTILE_SECRET",
  "NOTIFY_WEBHOOK_URL",
  "DEPLOY_HOOK_URL",
  "DEPLOY_HOOK_AUTHORIZATION",
  "LINK_SECRET",
  "MAIL_KEYS",
  "MANAGE_SECRET",
] as const;

/** "fail" stops the deploy; "warn" is something a real deploy needs that a dry run may lack. */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface Check {
  status: CheckStatus;
  message: string;
  /** The command or edit that fixes it. */
  fix?: string;
}

/** What a check may depend on besides the configs. */
export interface CheckOptions {
  /** A dry run deploys nothing, so what only a real deploy needs is a warning. */
  dryRun: boolean;
}

const KV_ID = /^[0-9a-f]{32}$/;

/** True for an id that only stands in for a real one: the committed placeholder, or the all-zero local id. */
export function isPlaceholderKvId(id: string | undefined): boolean {
  return id === undefined || id === "" || /REPLACE|PLACEHOLDER|<.*>/i.test(id) || /^0+$/.test(id);
}

function envFlag(config: WorkerConfig): string {
  return config.env === undefined ? "" : ` --env ${config.env}`;
}

function envSection(config: WorkerConfig): string {
  return config.env === undefined ? "the top level" : `[env.${config.env}]`;
}

function checkKvNamespace(config: WorkerConfig, kv: KvNamespace, { dryRun }: CheckOptions): Check {
  const where = `${config.path} ${envSection(config)} kv_namespaces`;
  const fix =
    `npx wrangler kv namespace create ${kv.binding}${envFlag(config)}, then put the id it prints into ` +
    `${where} (binding "${kv.binding}")`;
  if (isPlaceholderKvId(kv.id)) {
    return {
      status: dryRun ? "warn" : "fail",
      message: `KV namespace ${kv.binding}: "${kv.id ?? ""}" is a placeholder, not a real namespace id` +
        (dryRun ? " (a real deploy stops here)" : ""),
      fix,
    };
  }
  if (!KV_ID.test(kv.id ?? "")) {
    return { status: "fail", message: `KV namespace ${kv.binding}: "${kv.id}" is not a namespace id (32 hex digits)`, fix };
  }
  return { status: "ok", message: `KV namespace ${kv.binding}: ${kv.id}` };
}

/**
 * Every KV binding the worker declares has a real namespace id in the target environment. Wrangler does not
 * inherit kv_namespaces into an environment, so a top-level binding missing there would deploy without it.
 */
export function checkKvNamespaces(config: WorkerConfig, options: CheckOptions): Check[] {
  const checks = config.kvNamespaces.map((kv) => checkKvNamespace(config, kv, options));
  const declared = new Set(config.kvNamespaces.map((kv) => kv.binding));
  for (const binding of config.topLevelKvBindings.filter((name) => !declared.has(name))) {
    checks.push({
      status: "fail",
      message: `KV namespace ${binding} is bound at the top level of ${config.path} but not in ${envSection(config)}`,
      fix: `add { binding = "${binding}", id = "<id>" } to ${envSection(config)} kv_namespaces in ${config.path}`,
    });
  }
  if (checks.length === 0) {
    checks.push({ status: "fail", message: `${config.path} ${envSection(config)} binds no KV namespace; the worker needs COMMENTS` });
  }
  return checks;
}

function origin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

function isLocal(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
}

/** The addresses the site is built with. */
export interface SiteUrls {
  siteUrl: string;
  commentsApiUrl: string | undefined;
}

/**
 * The site is built for the address the worker redirects to and accepts posts from: the site's SITE_URL, the
 * worker's SITE_URL and one of its ALLOWED_ORIGINS name the same origin. COMMENTS_API_URL is where the built
 * pages send comments; a real deploy must not point readers at localhost.
 */
export function checkUrls(config: WorkerConfig, urls: SiteUrls, { dryRun }: CheckOptions): Check[] {
  const vars = `${config.path} ${config.env === undefined ? "[vars]" : `[env.${config.env}.vars]`}`;
  const checks: Check[] = [];
  const workerSite = config.vars.SITE_URL;
  const workerOrigin = workerSite === undefined ? undefined : origin(workerSite);
  const siteOrigin = origin(urls.siteUrl);
  if (workerOrigin === undefined) {
    checks.push({ status: "fail", message: `the worker's SITE_URL is missing or not an http(s) address`, fix: `set SITE_URL in ${vars}` });
  } else if (siteOrigin !== workerOrigin) {
    checks.push({
      status: "fail",
      message: `the site is built for ${urls.siteUrl} but the worker's SITE_URL is ${workerSite}`,
      fix: `unset SITE_URL to build for ${workerSite}, or change SITE_URL in ${vars}`,
    });
  } else {
    checks.push({ status: "ok", message: `SITE_URL: the site and the worker both use ${workerOrigin}` });
  }

  const allowed = (config.vars.ALLOWED_ORIGINS ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  if (workerOrigin !== undefined && !allowed.some((entry) => origin(entry) === workerOrigin)) {
    checks.push({
      status: "fail",
      message: `ALLOWED_ORIGINS (${allowed.join(",") || "empty"}) does not include the site's origin ${workerOrigin}: ` +
        "the worker would refuse every comment from the site",
      fix: `add ${workerOrigin} to ALLOWED_ORIGINS in ${vars}`,
    });
  } else if (workerOrigin !== undefined) {
    checks.push({ status: "ok", message: `ALLOWED_ORIGINS includes ${workerOrigin}` });
  }

  const api = urls.commentsApiUrl;
  const fix = "COMMENTS_API_URL=https://<the worker's address> npm run deploy (in GitHub: the repository variable COMMENTS_API_URL)";
  if (api === undefined) {
    checks.push({
      status: dryRun ? "warn" : "fail",
      message: "COMMENTS_API_URL is not set: the pages would send comments to http://localhost:8787" +
        (dryRun ? " (the dry run builds with that; a real deploy stops here)" : ""),
      fix,
    });
  } else if (origin(api) === undefined) {
    checks.push({ status: "fail", message: `COMMENTS_API_URL ${JSON.stringify(api)} is not an http(s) address`, fix });
  } else if (isLocal(api) && !dryRun) {
    checks.push({ status: "fail", message: `COMMENTS_API_URL is ${api}: readers cannot reach a local worker`, fix });
  } else {
    checks.push({ status: "ok", message: `COMMENTS_API_URL: ${api}` });
  }
  return checks;
}

/** The required secrets are set on the deployed worker (names from `wrangler secret list`). */
export function checkSecrets(config: WorkerConfig, names: readonly string[]): Check[] {
  const set = new Set(names);
  const checks: Check[] = REQUIRED_SECRETS.map((secret) =>
    set.has(secret)
      ? { status: "ok", message: `secret ${secret} is set` }
      : {
          status: "fail",
          message: `secret ${secret} is not set on ${config.name ?? "the worker"}`,
          fix: `npx wrangler secret put ${secret}${envFlag(config)}   (a long random value: openssl rand -hex 32)`,
        },
  );
  const optional = OPTIONAL_SECRETS.filter((secret) => set.has(secret));
  checks.push({ status: "ok", message: `optional secrets set: ${optional.length > 0 ? optional.join(", ") : "none"}` });
  return checks;
}
