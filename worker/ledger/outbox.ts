// The ledger's bookkeeping beside the comments (ledger.ts), in the same Durable Object SQLite: the outbox of KV keys
// whose published value must be (re)written, what was last written to each, the publication version that the site
// rebuild follows, and a few named settings. Apart from the comment rows because the publisher (worker/publish/)
// reads and settles this part alone; the comment queries build on it (through edit-grants.ts) so that one
// transaction covers a change and the outbox entry it owes.
//
// Every method is synchronous: SQLite calls in a Durable Object do not yield, so no other request can run in the
// middle of one, and each method is one atomic step (with `transactionSync` where it writes more than one row).

/**
 * Where a published key is waiting in the outbox: `thread:<post>`, `counts`, or `record:<id>` (a comment's KV record,
 * rewritten from the ledger after an edit, deleted after a delete).
 */
export type OutboxKey = `thread:${string}` | "counts" | `record:${string}`;

export interface OutboxEntry {
  key: OutboxKey;
  version: number;
  notBefore: number;
  attempts: number;
}

const OUTBOX_SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  key TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  not_before INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS published (key TEXT PRIMARY KEY, hash TEXT NOT NULL, written_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;
// The publication version: one number that grows with every change to what readers may see (a comment approved,
// withdrawn, edited while approved, imported approved, erased), in the same step as the change. The site build
// bakes the version it rendered, and the site rebuild (publish/deploy-hook.ts) is owed until the live site has it.
const PUBLICATION_SCHEMA = "CREATE TABLE IF NOT EXISTS publication (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)";

export type Row = Record<string, SqlStorageValue>;

/** Creates the tables and indexes of `schema` that do not exist yet (every statement is `IF NOT EXISTS`). */
export function createTables(sql: SqlStorage, schema: string): void {
  for (const statement of schema.split(";").map((s) => s.trim()).filter(Boolean)) sql.exec(statement);
}

export class LedgerOutbox {
  protected readonly sql: SqlStorage;
  readonly #transaction: <T>(closure: () => T) => T;

  constructor(sql: SqlStorage, transaction: <T>(closure: () => T) => T) {
    this.sql = sql;
    this.#transaction = transaction;
    createTables(sql, OUTBOX_SCHEMA);
    createTables(sql, PUBLICATION_SCHEMA);
  }

  /** Runs `closure` as one atomic step (nested calls are savepoints of the outer one). */
  transaction<T>(closure: () => T): T {
    return this.#transaction(closure);
  }

  protected rows<T extends Row>(query: string, ...bindings: unknown[]): T[] {
    return this.sql.exec<T>(query, ...bindings).toArray();
  }

  /**
   * Readers' view changed: advances the publication version and returns it. Call it inside the step that makes the
   * change (every ledger method that changes what readers may see does), so the version and the change commit
   * together. Erasing a person's comments calls it too.
   */
  advancePublication(): number {
    return this.sql.exec<{ version: number }>(
      "INSERT INTO publication (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = version + 1 RETURNING version",
    ).one().version;
  }

  /** The publication version: 0 before anything was ever published. */
  publicationVersion(): number {
    return this.rows<{ version: number }>("SELECT version FROM publication WHERE id = 1")[0]?.version ?? 0;
  }

  // The outbox: keys whose published value in KV must be (re)written. `version` grows with every change, so a
  // write that raced a newer change leaves the entry in place for the next pass.

  /** Marks keys as needing a write, no sooner than `notBefore`. */
  markDirty(keys: Iterable<OutboxKey>, notBefore: number): void {
    for (const key of keys) {
      this.sql.exec(
        `INSERT INTO outbox (key, version, not_before, attempts) VALUES (?, 1, ?, 0)
         ON CONFLICT (key) DO UPDATE SET version = version + 1, not_before = MAX(not_before, excluded.not_before)`,
        key, notBefore,
      );
    }
  }

  outbox(): OutboxEntry[] {
    return this.rows<{ key: string; version: number; not_before: number; attempts: number }>(
      "SELECT key, version, not_before, attempts FROM outbox ORDER BY key",
    ).map((r) => ({ key: r.key as OutboxKey, version: r.version, notBefore: r.not_before, attempts: r.attempts }));
  }

  /** The entry is done: removed unless it was marked again since `version` was read. */
  settle(key: OutboxKey, version: number): void {
    this.sql.exec("DELETE FROM outbox WHERE key = ? AND version = ?", key, version);
  }

  /** A write failed: try again no sooner than `notBefore`. */
  postpone(key: OutboxKey, notBefore: number): void {
    this.sql.exec("UPDATE outbox SET attempts = attempts + 1, not_before = ? WHERE key = ?", notBefore, key);
  }

  /** What was last written to a published key, and when (ms). */
  lastPublished(key: OutboxKey): { hash: string; writtenAt: number } | null {
    const row = this.rows<{ hash: string; written_at: number }>("SELECT hash, written_at FROM published WHERE key = ?", key)[0];
    return row ? { hash: row.hash, writtenAt: row.written_at } : null;
  }

  recordPublished(key: OutboxKey, hash: string, writtenAt: number): void {
    this.sql.exec("INSERT OR REPLACE INTO published (key, hash, written_at) VALUES (?, ?, ?)", key, hash, writtenAt);
  }

  /** Forgets what was last written to these keys, so the next write happens even if the value looks unchanged. */
  forgetPublished(keys: readonly OutboxKey[]): void {
    for (const key of keys) this.sql.exec("UPDATE published SET hash = '' WHERE key = ?", key);
  }

  setting(name: string): string | null {
    return this.rows<{ value: string }>("SELECT value FROM settings WHERE name = ?", name)[0]?.value ?? null;
  }

  setSetting(name: string, value: string | null): void {
    if (value === null) this.sql.exec("DELETE FROM settings WHERE name = ?", name);
    else this.sql.exec("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)", name, value);
  }
}
