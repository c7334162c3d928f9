// The moderation ledger: the strongly consistent index of every comment, in the SQLite storage of one Durable
// Object (object.ts). It holds each comment's record, status and salted email hash, so an action on a
// post reads only that post's rows and never lists KV. It is also the outbox of what must be published to KV
// (worker/publish/publisher.ts), so the order of actions is the order of the ledger's commits.
//
// Every method is synchronous: SQLite calls in a Durable Object do not yield, so no other request can run in the
// middle of one, and each method is one atomic step (with `transactionSync` where it writes more than one row).
import type { AdminComment } from "../comment.ts";
import type { Status } from "../intake/schema.ts";

export type { LedgerStatus } from "../comment.ts";

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

export interface QueueFilter {
  status?: Status;
  post?: string;
  /** A case-insensitive substring of the author's name, email or text. */
  q?: string;
  /** With `q`: also the comments of the address with this salted hash (records keep no address). */
  emailHash?: string;
  /** Continue after this position (the `next` of the page before). */
  after?: { createdAt: string; id: string };
  limit?: number;
}

/** The comment another one replies to, as the moderator's list shows it. */
export interface ParentSummary {
  id: string;
  author: string;
  excerpt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS comments (
  id TEXT PRIMARY KEY,
  post TEXT NOT NULL,
  parent_id TEXT,
  status TEXT NOT NULL,
  email_hash TEXT,
  created_at TEXT NOT NULL,
  moderated_at TEXT,
  record TEXT
);
CREATE INDEX IF NOT EXISTS comments_by_post ON comments (post, status, created_at, id);
CREATE INDEX IF NOT EXISTS comments_by_status ON comments (status, created_at, id);
CREATE INDEX IF NOT EXISTS comments_by_email ON comments (email_hash, status);
CREATE TABLE IF NOT EXISTS approved_counts (post TEXT PRIMARY KEY, approved INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
  key TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  not_before INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS published (key TEXT PRIMARY KEY, hash TEXT NOT NULL, written_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

// Edit grants ("take it back"): the SHA-256 of each new comment's edit token and the moment (ms) its
// author's window closes. Never the token itself. Rows past their deadline are pruned when the next grant is added.
const EDIT_GRANTS_SCHEMA = "CREATE TABLE IF NOT EXISTS edit_grants (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL, until INTEGER NOT NULL)";
// How many times a comment's text was changed after it arrived (an author's or a moderator's edit; none: no row), so
// an approval can say which text it approves.
const REVISIONS_SCHEMA = "CREATE TABLE IF NOT EXISTS revisions (id TEXT PRIMARY KEY, revision INTEGER NOT NULL)";
// The publication version: one number that grows with every change to what readers may see (a comment approved,
// withdrawn, edited while approved, imported approved, erased), in the same step as the change. The site build
// bakes the version it rendered, and the site rebuild (publish/deploy-hook.ts) is owed until the live site has it.
const PUBLICATION_SCHEMA = "CREATE TABLE IF NOT EXISTS publication (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)";

type Row = Record<string, SqlStorageValue>;

/** The rows that still hold a comment: not the tombstone a delete leaves, nor the one a person's erasure leaves. */
const LIVE = "status NOT IN ('deleted', 'erased')";

/** Creates the tables and indexes of `schema` that do not exist yet (every statement is `IF NOT EXISTS`). */
export function createTables(sql: SqlStorage, schema: string): void {
  for (const statement of schema.split(";").map((s) => s.trim()).filter(Boolean)) sql.exec(statement);
}

export class Ledger {
  readonly #sql: SqlStorage;
  readonly #transaction: <T>(closure: () => T) => T;

  constructor(sql: SqlStorage, transaction: <T>(closure: () => T) => T) {
    this.#sql = sql;
    this.#transaction = transaction;
    createTables(sql, SCHEMA);
    createTables(sql, EDIT_GRANTS_SCHEMA);
    createTables(sql, REVISIONS_SCHEMA);
    createTables(sql, PUBLICATION_SCHEMA);
  }

  /** Runs `closure` as one atomic step (nested calls are savepoints of the outer one). */
  transaction<T>(closure: () => T): T {
    return this.#transaction(closure);
  }

  #rows<T extends Row>(query: string, ...bindings: unknown[]): T[] {
    return this.#sql.exec<T>(query, ...bindings).toArray();
  }

  /** The live record with this id (null when unknown or deleted). */
  get(id: string): AdminComment | null {
    const row = this.#rows<{ record: string | null }>("SELECT record FROM comments WHERE id = ?", id)[0];
    return row?.record ? (JSON.parse(row.record) as AdminComment) : null;
  }

  /** Whether the ledger knows the id at all, live or deleted. */
  knownIds(ids: readonly string[]): Set<string> {
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += 90) {
      const part = ids.slice(i, i + 90);
      const rows = this.#rows<{ id: string }>(`SELECT id FROM comments WHERE id IN (${part.map(() => "?").join(",")})`, ...part);
      for (const row of rows) known.add(row.id);
    }
    return known;
  }

  /** The email hash stored with a live comment. */
  emailHashOf(id: string): string | null {
    return this.#rows<{ email_hash: string | null }>("SELECT email_hash FROM comments WHERE id = ?", id)[0]?.email_hash ?? null;
  }

  /** Whether this email (by hash) has an approved comment: the returning-commenter rule. */
  isTrusted(emailHash: string): boolean {
    return this.#rows("SELECT 1 FROM comments WHERE email_hash = ? AND status = 'approved' LIMIT 1", emailHash).length > 0;
  }

  /** Whether `id` is an approved comment on `post`: the only comments a reader may reply to. */
  isApprovedOn(id: string, post: string): boolean {
    return this.#rows("SELECT 1 FROM comments WHERE id = ? AND post = ? AND status = 'approved'", id, post).length > 0;
  }

  /** When a comment (live or deleted) was submitted, or null when the ledger never saw it. */
  createdAtOf(id: string): string | null {
    return this.#rows<{ created_at: string }>("SELECT created_at FROM comments WHERE id = ?", id)[0]?.created_at ?? null;
  }

  /** The post a comment is on, live or a tombstone (which keeps its post), or undefined when the ledger never saw it. */
  postOf(id: string): string | undefined {
    return this.#rows<{ post: string }>("SELECT post FROM comments WHERE id = ?", id)[0]?.post;
  }

  /** Whether `id` was erased with its author's data: no path (import, inbox, reconcile) may bring it back. */
  isErased(id: string): boolean {
    return this.#rows("SELECT 1 FROM comments WHERE id = ? AND status = 'erased'", id).length > 0;
  }

  /**
   * One person's live comments, oldest first: by the salted email hash, or by the address itself for records that
   * carry one without a hash (taken in from a v1 namespace whose metadata had none).
   */
  byPerson(emailHash: string, email: string): AdminComment[] {
    return this.#rows<{ record: string }>(
      `SELECT record FROM comments WHERE ${LIVE} AND (email_hash = ? OR (email_hash IS NULL AND lower(json_extract(record, '$.email')) = ?))
       ORDER BY created_at, id`,
      emailHash, email.trim().toLowerCase(),
    ).map((row) => JSON.parse(row.record) as AdminComment);
  }

  /** The post a deleted comment was on (its tombstone keeps it), or undefined. */
  tombstonePostOf(id: string): string | undefined {
    return this.#rows<{ post: string }>("SELECT post FROM comments WHERE id = ? AND status = 'deleted'", id)[0]?.post;
  }

  /**
   * Adds records (or revives deleted ones), recounting their posts. Returns the posts touched. A record is stored
   * without its address: the hash is what lookups use (docs/mail.md, "Addresses at rest").
   */
  insert(entries: readonly { record: AdminComment; emailHash: string | null }[]): Set<string> {
    return this.#transaction(() => {
      const posts = new Set<string>();
      for (const { record: given, emailHash } of entries) {
        const record: AdminComment = { ...given, email: null };
        this.#sql.exec(
          `INSERT OR REPLACE INTO comments (id, post, parent_id, status, email_hash, created_at, moderated_at, record)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          record.id, record.post, record.parentId, record.status, emailHash, record.createdAt, record.moderatedAt,
          JSON.stringify(record),
        );
        posts.add(record.post);
      }
      for (const post of posts) this.#recount(post);
      if (entries.some(({ record }) => record.status === "approved")) this.advancePublication();
      return posts;
    });
  }

  /** Sets a live comment's status; returns the record as it now is, or null when unknown or deleted. */
  setStatus(id: string, status: Status, moderatedAt: string): { before: AdminComment; after: AdminComment } | null {
    return this.#transaction(() => {
      const before = this.get(id);
      if (!before) return null;
      const after: AdminComment = { ...before, status, moderatedAt };
      this.#sql.exec(
        "UPDATE comments SET status = ?, moderated_at = ?, record = ? WHERE id = ?",
        status, moderatedAt, JSON.stringify(after), id,
      );
      this.#recount(before.post);
      if ((before.status === "approved") !== (status === "approved")) this.advancePublication();
      return { before, after };
    });
  }

  #bumpRevision(id: string): void {
    this.#sql.exec("INSERT INTO revisions (id, revision) VALUES (?, 1) ON CONFLICT (id) DO UPDATE SET revision = revision + 1", id);
  }

  /** How many times the comment's text changed after it arrived (0: never). */
  revisionOf(id: string): number {
    return this.#rows<{ revision: number }>("SELECT revision FROM revisions WHERE id = ?", id)[0]?.revision ?? 0;
  }

  /**
   * Deletes a comment's content for good, leaving a tombstone (id, post, time) so no path can republish it: `deleted`
   * for a delete, `erased` for a person's erasure (which imports may never restore either).
   */
  tombstone(id: string, at: string, as: "deleted" | "erased" = "deleted"): AdminComment | null {
    return this.#transaction(() => {
      const before = this.get(id);
      if (!before) return null;
      this.#sql.exec(
        "UPDATE comments SET status = ?, parent_id = NULL, email_hash = NULL, moderated_at = ?, record = NULL WHERE id = ?",
        as, at, id,
      );
      this.#recount(before.post);
      if (before.status === "approved") this.advancePublication();
      return before;
    });
  }

  /** An erased tombstone for a record only KV held (the ledger never saw it), so the reconcile never adopts it. */
  tombstoneUnknown(id: string, post: string, at: string): boolean {
    if (this.knownIds([id]).size > 0) return false;
    this.#sql.exec(
      "INSERT INTO comments (id, post, parent_id, status, email_hash, created_at, moderated_at, record) VALUES (?, ?, NULL, 'erased', NULL, ?, ?, NULL)",
      id, post, at, at,
    );
    return true;
  }

  #recount(post: string): void {
    const { n } = this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM comments WHERE post = ? AND status = 'approved'", post).one();
    this.#sql.exec("INSERT OR REPLACE INTO approved_counts (post, approved) VALUES (?, ?)", post, n);
  }

  /** A post's approved records, oldest first: what its published thread is derived from. O(comments on the post). */
  approvedOn(post: string): AdminComment[] {
    return this.#rows<{ record: string }>(
      "SELECT record FROM comments WHERE post = ? AND status = 'approved' ORDER BY created_at, id",
      post,
    ).map((row) => JSON.parse(row.record) as AdminComment);
  }

  /** Approved comments per post, for every post that has or had comments. O(posts). */
  approvedCounts(): Map<string, number> {
    return new Map(this.#rows<{ post: string; approved: number }>("SELECT post, approved FROM approved_counts").map((r) => [r.post, r.approved]));
  }

  /** Every approved record, by post then oldest first: what the site build renders (`GET /api/comments/all`). */
  approvedAll(): AdminComment[] {
    return this.#rows<{ record: string }>("SELECT record FROM comments WHERE status = 'approved' ORDER BY post, created_at, id")
      .map((row) => JSON.parse(row.record) as AdminComment);
  }

  /**
   * Readers' view changed: advances the publication version and returns it. Call it inside the step that makes the
   * change (every ledger method that changes what readers may see does), so the version and the change commit
   * together. Erasing a person's comments calls it too.
   */
  advancePublication(): number {
    return this.#sql.exec<{ version: number }>(
      "INSERT INTO publication (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = version + 1 RETURNING version",
    ).one().version;
  }

  /** The publication version: 0 before anything was ever published. */
  publicationVersion(): number {
    return this.#rows<{ version: number }>("SELECT version FROM publication WHERE id = 1")[0]?.version ?? 0;
  }

  /** Live records matching the filter, oldest first, at most `limit` of them (all when absent). */
  queue(filter: QueueFilter): AdminComment[] {
    const where = [LIVE];
    const bindings: unknown[] = [];
    if (filter.status) (where.push("status = ?"), bindings.push(filter.status));
    if (filter.post) (where.push("post = ?"), bindings.push(filter.post));
    if (filter.q) {
      // LIKE with its wildcards escaped: the moderator's text is matched literally (ASCII case-insensitively).
      const pattern = `%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      const byHash = filter.emailHash === undefined ? "" : " OR email_hash = ?";
      where.push(`(${["author", "email", "body"].map((field) => `json_extract(record, '$.${field}') LIKE ? ESCAPE '\\'`).join(" OR ")}${byHash})`);
      bindings.push(pattern, pattern, pattern, ...(filter.emailHash === undefined ? [] : [filter.emailHash]));
    }
    if (filter.after) {
      where.push("(created_at > ? OR (created_at = ? AND id > ?))");
      bindings.push(filter.after.createdAt, filter.after.createdAt, filter.after.id);
    }
    const limit = filter.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.floor(filter.limit))}`;
    return this.#rows<{ record: string }>(
      `SELECT record FROM comments WHERE ${where.join(" AND ")} ORDER BY created_at, id${limit}`,
      ...bindings,
    ).map((row) => JSON.parse(row.record) as AdminComment);
  }

  /** The live comments these ids name, summarised: the parents of a page of the moderator's list. */
  summaries(ids: readonly string[], excerpt: (body: string) => string): Map<string, ParentSummary> {
    const found = new Map<string, ParentSummary>();
    for (const id of new Set(ids)) {
      const record = this.get(id);
      if (record) found.set(id, { id, author: record.author, excerpt: excerpt(record.body) });
    }
    return found;
  }

  /** Replaces a live comment's text; returns it before and after, or null when unknown or deleted. */
  updateBody(id: string, body: string): { before: AdminComment; after: AdminComment } | null {
    return this.#transaction(() => {
      const before = this.get(id);
      if (!before) return null;
      const after: AdminComment = { ...before, body };
      this.#sql.exec("UPDATE comments SET record = ? WHERE id = ?", JSON.stringify(after), id);
      this.#bumpRevision(id);
      if (before.status === "approved") this.advancePublication();
      return { before, after };
    });
  }

  /** Up to `limit` live records after the (createdAt, id) position, oldest first: one page of the export. */
  exportPage(after: { createdAt: string; id: string } | null, limit: number): AdminComment[] {
    const rows = after
      ? this.#rows<{ record: string }>(
          `SELECT record FROM comments WHERE ${LIVE} AND (created_at > ? OR (created_at = ? AND id > ?))
           ORDER BY created_at, id LIMIT ?`,
          after.createdAt, after.createdAt, after.id, limit,
        )
      : this.#rows<{ record: string }>(`SELECT record FROM comments WHERE ${LIVE} ORDER BY created_at, id LIMIT ?`, limit);
    return rows.map((row) => JSON.parse(row.record) as AdminComment);
  }

  /** Live comments by status. */
  statusCounts(): Record<Status, number> {
    const counts: Record<Status, number> = { pending: 0, approved: 0, rejected: 0, spam: 0 };
    for (const row of this.#rows<{ status: string; n: number }>("SELECT status, COUNT(*) AS n FROM comments GROUP BY status")) {
      if (row.status in counts) counts[row.status as Status] = row.n;
    }
    return counts;
  }

  // The outbox: keys whose published value in KV must be (re)written. `version` grows with every change, so a
  // write that raced a newer change leaves the entry in place for the next pass.

  /** Marks keys as needing a write, no sooner than `notBefore`. */
  markDirty(keys: Iterable<OutboxKey>, notBefore: number): void {
    for (const key of keys) {
      this.#sql.exec(
        `INSERT INTO outbox (key, version, not_before, attempts) VALUES (?, 1, ?, 0)
         ON CONFLICT (key) DO UPDATE SET version = version + 1, not_before = MAX(not_before, excluded.not_before)`,
        key, notBefore,
      );
    }
  }

  outbox(): OutboxEntry[] {
    return this.#rows<{ key: string; version: number; not_before: number; attempts: number }>(
      "SELECT key, version, not_before, attempts FROM outbox ORDER BY key",
    ).map((r) => ({ key: r.key as OutboxKey, version: r.version, notBefore: r.not_before, attempts: r.attempts }));
  }

  /** The entry is done: removed unless it was marked again since `version` was read. */
  settle(key: OutboxKey, version: number): void {
    this.#sql.exec("DELETE FROM outbox WHERE key = ? AND version = ?", key, version);
  }

  /** A write failed: try again no sooner than `notBefore`. */
  postpone(key: OutboxKey, notBefore: number): void {
    this.#sql.exec("UPDATE outbox SET attempts = attempts + 1, not_before = ? WHERE key = ?", notBefore, key);
  }

  /** What was last written to a published key, and when (ms). */
  lastPublished(key: OutboxKey): { hash: string; writtenAt: number } | null {
    const row = this.#rows<{ hash: string; written_at: number }>("SELECT hash, written_at FROM published WHERE key = ?", key)[0];
    return row ? { hash: row.hash, writtenAt: row.written_at } : null;
  }

  recordPublished(key: OutboxKey, hash: string, writtenAt: number): void {
    this.#sql.exec("INSERT OR REPLACE INTO published (key, hash, written_at) VALUES (?, ?, ?)", key, hash, writtenAt);
  }

  /** Forgets what was last written to these keys, so the next write happens even if the value looks unchanged. */
  forgetPublished(keys: readonly OutboxKey[]): void {
    for (const key of keys) this.#sql.exec("UPDATE published SET hash = '' WHERE key = ?", key);
  }

  setting(name: string): string | null {
    return this.#rows<{ value: string }>("SELECT value FROM settings WHERE name = ?", name)[0]?.value ?? null;
  }

  setSetting(name: string, value: string | null): void {
    if (value === null) this.#sql.exec("DELETE FROM settings WHERE name = ?", name);
    else this.#sql.exec("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)", name, value);
  }

  // Edit grants: an author's right to edit or delete their own comment for a short while.

  /** Records the hash of a comment's edit token and its deadline, dropping every grant already past its own. */
  grantEdit(id: string, tokenHash: string, until: number, now: number): void {
    this.#sql.exec("DELETE FROM edit_grants WHERE until <= ?", now);
    this.#sql.exec("INSERT OR REPLACE INTO edit_grants (id, token_hash, until) VALUES (?, ?, ?)", id, tokenHash, until);
  }

  /** Removes a comment's edit grant; whether there was one. */
  revokeEditGrant(id: string): boolean {
    if (!this.editGrant(id)) return false;
    this.#sql.exec("DELETE FROM edit_grants WHERE id = ?", id);
    return true;
  }

  /** Forgets how often a comment's text changed (its text is gone). */
  forgetRevision(id: string): void {
    this.#sql.exec("DELETE FROM revisions WHERE id = ?", id);
  }

  /** The grant of a comment, or null (none was given, or it was pruned after its deadline). */
  editGrant(id: string): { tokenHash: string; until: number } | null {
    const row = this.#rows<{ token_hash: string; until: number }>("SELECT token_hash, until FROM edit_grants WHERE id = ?", id)[0];
    return row ? { tokenHash: row.token_hash, until: row.until } : null;
  }

  /** Replaces a live comment's text (and status); returns the record as it now is, or null when unknown or deleted. */
  revise(id: string, body: string, status: Status, moderatedAt: string | null): { before: AdminComment; after: AdminComment } | null {
    return this.#transaction(() => {
      const before = this.get(id);
      if (!before) return null;
      const after: AdminComment = { ...before, body, status, moderatedAt };
      this.#sql.exec(
        "UPDATE comments SET status = ?, moderated_at = ?, record = ? WHERE id = ?",
        status, moderatedAt, JSON.stringify(after), id,
      );
      this.#recount(before.post);
      this.#bumpRevision(id);
      if (before.status === "approved" || status === "approved") this.advancePublication();
      return { before, after };
    });
  }

  // Addresses at rest (docs/mail.md): records keep only the salted hash. Records stored before that are scrubbed.

  /**
   * Drops the address from every record that still holds one (their hash stays in `email_hash`), returning their
   * ids so their KV copies are rewritten. One transaction.
   */
  dropStoredAddresses(): string[] {
    return this.#transaction(() => {
      const ids = this.#rows<{ id: string }>("SELECT id FROM comments WHERE record IS NOT NULL AND json_extract(record, '$.email') IS NOT NULL").map((r) => r.id);
      this.#sql.exec("UPDATE comments SET record = json_set(record, '$.email', json('null')) WHERE record IS NOT NULL AND json_extract(record, '$.email') IS NOT NULL");
      return ids;
    });
  }
}
