// What `npm run deploy` reads from the two Wrangler configs: the comment worker's (wrangler.toml) and the site's
// (site.wrangler.jsonc). Parsed by Wrangler's own reader (`experimental_readRawConfig`, TOML and JSONC), so the
// checks see exactly the file Wrangler deploys; it is experimental, so it is used here only, and
// test/scripts/deploy.test.ts fails if an upgrade changes it. Only the fields the checks need are read, and
// every other section (Durable Objects, migrations, anything added later) is left to Wrangler.
import { experimental_readRawConfig } from "wrangler";

interface RawKvNamespace {
  binding?: unknown;
  id?: unknown;
}

interface RawEnvironment {
  name?: unknown;
  kv_namespaces?: RawKvNamespace[];
  vars?: Record<string, unknown>;
}

interface RawConfig extends RawEnvironment {
  env?: Record<string, RawEnvironment | undefined>;
  assets?: { directory?: unknown };
}

/** A KV binding as deployed: its name in the code and the namespace id (possibly missing or a placeholder). */
export interface KvNamespace {
  binding: string;
  id: string | undefined;
}

/** The comment worker as one environment of wrangler.toml deploys it. */
export interface WorkerConfig {
  path: string;
  /** The environment (`--env`), or undefined for the top level. */
  env: string | undefined;
  name: string | undefined;
  /** The environment's own KV namespaces: Wrangler does not inherit them from the top level. */
  kvNamespaces: KvNamespace[];
  /** KV bindings declared at the top level, which the environment must declare again. */
  topLevelKvBindings: string[];
  /** The environment's own vars (also not inherited). */
  vars: Record<string, string>;
}

/** The static site's Workers static assets config. */
export interface SiteConfig {
  path: string;
  name: string | undefined;
  assetsDirectory: string | undefined;
}

function readRaw(path: string): RawConfig {
  const { rawConfig } = experimental_readRawConfig({ config: path }) as { rawConfig: RawConfig };
  return rawConfig;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function kvNamespaces(list: RawKvNamespace[] | undefined): KvNamespace[] {
  return (list ?? []).map((entry) => ({ binding: text(entry.binding) ?? "(no binding name)", id: text(entry.id) }));
}

function stringVars(vars: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(vars ?? {}).map(([key, value]) => [key, String(value)]));
}

/** Reads the worker's config for `env` (e.g. "production"). Throws when the file or the environment is missing. */
export function readWorkerConfig(path: string, env: string | undefined): WorkerConfig {
  const raw = readRaw(path);
  const scope = env === undefined ? raw : raw.env?.[env];
  if (scope === undefined) throw new Error(`${path} has no [env.${env}] section`);
  return {
    path,
    env,
    name: text(scope.name) ?? text(raw.name),
    kvNamespaces: kvNamespaces(scope.kv_namespaces),
    topLevelKvBindings: kvNamespaces(raw.kv_namespaces).map((kv) => kv.binding),
    vars: stringVars(scope.vars),
  };
}

/** Reads the site's Wrangler config. */
export function readSiteConfig(path: string): SiteConfig {
  const raw = readRaw(path);
  return { path, name: text(raw.name), assetsDirectory: text(raw.assets?.directory) };
}
