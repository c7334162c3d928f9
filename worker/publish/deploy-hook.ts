// The site rebuild: the static pages carry the comments, so every change to what readers may see (the ledger's
// publication version advanced) owes the site a rebuild, until the live site reports that version. The state is a
// row in the ledger's SQLite storage (never KV: a retry costs no KV write), worked by the Durable Object's alarm:
// - owed and due: ask DEPLOY_HOOK_URL (a POST carrying the version) to rebuild;
// - later: fetch `${SITE_URL}/comments-version.json`; when it reports the owed version or a later one, the rebuild is
//   no longer owed; otherwise ask again, each wait twice the one before (DEPLOY_HOOK_MIN_INTERVAL_SECONDS, 60 s by
//   default, doubling up to an hour), so a failing hook or build is asked at most ~7 times in its first hour. A site
//   that reached the version last asked for is keeping up: the waits start again from the first.
// A burst of approvals asks once: changes made while a call is already waiting for its check add nothing but the
// newer version the check expects.

import type { RebuildStatus } from "../desk-shapes.ts";

export type { RebuildStatus } from "../desk-shapes.ts";

export const DEFAULT_INTERVAL_SECONDS = 60;
export const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** The repository_dispatch event type the deploy workflow runs on. */
export const DEPLOY_HOOK_EVENT = "comments-changed";
/** The file the site build writes (site/pages/comments-version.njk): the publication version it baked. */
export const SITE_VERSION_PATH = "/comments-version.json";
const ERROR_MAX = 300;

const SCHEMA = `CREATE TABLE IF NOT EXISTS site_rebuild (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  live_version INTEGER NOT NULL DEFAULT 0,
  owed_since INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  next_attempt_at INTEGER,
  last_called_at INTEGER,
  called_version INTEGER,
  checked_at INTEGER
)`;

export interface RebuildConfig {
  /** Unset: no static rebuild is asked for (the site relies on the live thread). */
  hookUrl: string | undefined;
  authorization: string | undefined;
  /** The live site's address, without a trailing slash. */
  siteUrl: string;
  /** The first wait after a call before checking and asking again (doubles each time, up to an hour). */
  intervalMs: number;
  fetch: typeof fetch;
  now: () => number;
}

interface Row extends Record<string, SqlStorageValue> {
  live_version: number;
  owed_since: number | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: number | null;
  last_called_at: number | null;
  called_version: number | null;
  checked_at: number | null;
}

/** The hook's configuration from the worker's environment. */
export function rebuildConfig(env: Env, now: () => number = () => Date.now()): RebuildConfig {
  const seconds = Number(env.DEPLOY_HOOK_MIN_INTERVAL_SECONDS ?? DEFAULT_INTERVAL_SECONDS);
  const interval = Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_INTERVAL_SECONDS;
  return {
    hookUrl: env.DEPLOY_HOOK_URL || undefined,
    authorization: env.DEPLOY_HOOK_AUTHORIZATION || undefined,
    siteUrl: (env.SITE_URL ?? "").replace(/\/+$/, ""),
    // At least a second between two calls, whatever the setting says.
    intervalMs: Math.max(1000, interval * 1000),
    fetch: (input, init) => fetch(input, init),
    now,
  };
}

/**
 * The hook request. The body is what GitHub's repository_dispatch needs (`event_type`, which
 * .github/workflows/deploy.yml listens for, and `client_payload.version`, the publication version the build must
 * bake); a Pages deploy hook ignores it. The authorization, when set, is sent as the Authorization header (e.g.
 * "Bearer <GitHub token>"). GitHub's API also wants a User-Agent.
 * https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event
 */
export function hookRequest(authorization: string | undefined, version: number): RequestInit {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/vnd.github+json",
    "user-agent": "leadership-academy-comments",
  };
  if (authorization) headers.authorization = authorization;
  return { method: "POST", headers, body: JSON.stringify({ event_type: DEPLOY_HOOK_EVENT, client_payload: { version } }) };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, ERROR_MAX);

export class SiteRebuild {
  readonly #sql: SqlStorage;
  readonly #version: () => number;
  readonly #config: RebuildConfig;

  constructor(sql: SqlStorage, publicationVersion: () => number, config: RebuildConfig) {
    this.#sql = sql;
    this.#version = publicationVersion;
    this.#config = config;
    sql.exec(SCHEMA);
    sql.exec("INSERT OR IGNORE INTO site_rebuild (id) VALUES (1)");
  }

  #row(): Row {
    return this.#sql.exec<Row>("SELECT * FROM site_rebuild WHERE id = 1").one();
  }

  #update(fields: Partial<Row>): void {
    const names = Object.keys(fields);
    if (names.length === 0) return;
    this.#sql.exec(`UPDATE site_rebuild SET ${names.map((n) => `${n} = ?`).join(", ")} WHERE id = 1`, ...Object.values(fields));
  }

  #clear(liveVersion: number, checkedAt: number): void {
    this.#update({ live_version: liveVersion, checked_at: checkedAt, owed_since: null, attempts: 0, last_error: null, next_attempt_at: null });
  }

  /**
   * When the alarm must next run for the rebuild (null: nothing is owed). Notes when a rebuild became owed; the first
   * call waits only for the interval since the last one, so a burst of changes asks once.
   */
  nextWake(): number | null {
    if (!this.#config.hookUrl) return null;
    const row = this.#row();
    if (this.#version() <= row.live_version) return null;
    if (row.owed_since === null) {
      const now = this.#config.now();
      const next = Math.max(now, (row.last_called_at ?? 0) + this.#config.intervalMs);
      this.#update({ owed_since: now, attempts: 0, last_error: null, next_attempt_at: next });
      return next;
    }
    return row.next_attempt_at ?? this.#config.now();
  }

  /** The alarm's turn: checks the live site and asks for a rebuild when one is owed and due. Returns the next wake. */
  async work(): Promise<number | null> {
    const next = this.nextWake();
    const { now } = this.#config;
    if (next === null || next > now()) return next;
    const owed = this.#version();
    let row = this.#row();
    let checkError: string | null = null;
    if (row.attempts > 0) {
      try {
        const live = await this.#liveVersion();
        if (live >= owed) {
          this.#clear(live, now());
          // Changes since the check's answer was built are owed again at once.
          return this.nextWake();
        }
        // The site caught up with the last call, and later changes are owed: no failure, so no longer wait.
        const progressed = row.called_version !== null && live >= row.called_version;
        this.#update({ live_version: Math.max(row.live_version, live), checked_at: now(), ...(progressed ? { attempts: 0, last_error: null } : {}) });
      } catch (error) {
        checkError = `the live site's ${SITE_VERSION_PATH} could not be read: ${message(error)}`;
        this.#update({ checked_at: now() });
      }
    }
    const hookError = await this.#callHook(owed);
    row = this.#row();
    const attempts = row.attempts + 1;
    const wait = Math.min(MAX_BACKOFF_MS, this.#config.intervalMs * 2 ** (attempts - 1));
    const at = now();
    this.#update({ attempts, last_called_at: at, called_version: owed, next_attempt_at: at + wait, last_error: hookError ?? checkError });
    if (hookError) console.error(`site rebuild: ${hookError}; asking again at ${new Date(at + wait).toISOString()}`);
    return at + wait;
  }

  /** Calls the hook; the error as text, or null when it accepted. */
  async #callHook(version: number): Promise<string | null> {
    try {
      const response = await this.#config.fetch(this.#config.hookUrl!, hookRequest(this.#config.authorization, version));
      await response.body?.cancel();
      return response.ok ? null : `the deploy hook answered ${response.status}`;
    } catch (error) {
      return `the deploy hook could not be reached: ${message(error)}`;
    }
  }

  async #liveVersion(): Promise<number> {
    // A fresh address each time, so no cache between here and the site answers with an older file.
    const url = `${this.#config.siteUrl}${SITE_VERSION_PATH}?at=${this.#config.now()}`;
    const response = await this.#config.fetch(url, { headers: { accept: "application/json" } });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`it answered ${response.status}`);
    }
    const body = (await response.json()) as { version?: unknown };
    if (typeof body.version !== "number" || !Number.isInteger(body.version)) throw new Error("it has no whole-number version");
    return body.version;
  }

  status(): RebuildStatus {
    const row = this.#row();
    const version = this.#version();
    const owed = Boolean(this.#config.hookUrl) && version > row.live_version;
    return {
      hook: Boolean(this.#config.hookUrl),
      version,
      liveVersion: row.live_version,
      owedVersion: owed ? version : null,
      owedSince: owed ? iso(row.owed_since) : null,
      attempts: row.attempts,
      lastError: row.last_error,
      nextAttemptAt: owed ? iso(row.next_attempt_at) : null,
      lastCalledAt: iso(row.last_called_at),
      checkedAt: iso(row.checked_at),
    };
  }
}
