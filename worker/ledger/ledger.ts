// The moderation ledger: the strongly consistent index of every comment, in the SQLite storage of one Durable
// Object (object.ts). It holds each comment's record, status and salted email hash, so an action on a
// post reads only that post's rows and never lists KV. It is also the outbox of what must be published to KV
// (worker/publish/publisher.ts, its tables in outbox.ts), so the order of actions is the order of the ledger's commits.
//
// Every method is synchronous: SQLite calls in a Durable Object do not yield, so no other request can run in the
// middle of one, and each method is one atomic step (with `transactionSync` where it writes more than one row).
import type { AdminComment } from "../comment.ts";
import type { Status } from "../intake/schema.ts";
import { LedgerEdits } from "./edit-grants.ts";
import { createTables } from "./outbox.ts";

export type { LedgerStatus } from "../comment.ts";

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
`;

/** The rows that still hold a comment: not the tombstone a delete leaves, nor the one a person's erasure leaves. */
const LIVE = "status NOT IN ('deleted', 'erased')";

/** The comment rows; the outbox, publication version and settings (outbox.ts) and the edit grants (edit-grants.ts) are its bases. */
export class Ledger extends LedgerEdits {
  constructor(sql: SqlStorage, transaction: <T>(closure: () => T) => T) {
    super(sql, transaction);
    createTables(sql, SCHEMA);
  }

  /** The live record with this id (null when unknown or deleted). */
  get(id: string): AdminComment | null {
    const row = this.rows<{ record: string | null }>("SELECT record FROM comments WHERE id = ?", id)[0];
    return row?.record ? (JSON.parse(row.record) as AdminComment) : null;
  }

  /** Whether the ledger knows the id at all, live or deleted. */
  knownIds(ids: readonly string[]): Set<string> {
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += 90) {
      const part = ids.slice(i, i + 90);
      const rows = this.rows<{ id: string }>(`SELECT id FROM comments WHERE id IN (${part.map(() => "?").join(",")})`, ...part);
      for (const row of rows) known.add(row.id);
    }
    return known;
  }

  /** The email hash stored with a live comment. */
  emailHashOf(id: string): string | null {
    return this.rows<{ email_hash: string | null }>("SELECT email_hash FROM comments WHERE id = ?", id)[0]?.email_hash ?? null;
  }

  /** Whether this email (by hash) has an approved comment: the returning-commenter rule. */
  isTrusted(emailHash: string): boolean {
    return this.rows("SELECT 1 FROM comments WHERE email_hash = ? AND status = 'approved' LIMIT 1", emailHash).length > 0;
  }

  /** Whether `id` is an approved comment on `post`: the only comments a reader may reply to. */
  isApprovedOn(id: string, post: string): boolean {
    return this.rows("SELECT 1 FROM comments WHERE id = ? AND post = ? AND status = 'approved'", id, post).length > 0;
  }

  /** When a comment (live or deleted) was submitted, or null when the ledger never saw it. */
  createdAtOf(id: string): string | null {
    return this.rows<{ created_at: string }>("SELECT created_at FROM comments WHERE id = ?", id)[0]?.created_at ?? null;
  }

  /** The post a comment is on, live or a tombstone (which keeps its post), or undefined when the ledger never saw it. */
  postOf(id: string): string | undefined {
    return this.rows<{ post: string }>("SELECT post FROM comments WHERE id = ?", id)[0]?.post;
  }

  /** Whether `id` was erased with its author's data: no path (import, inbox, reconcile) may bring it back. */
  isErased(id: string): boolean {
    return this.rows("SELECT 1 FROM comments WHERE id = ? AND status = 'erased'", id).length > 0;
  }

  /**
   * One person's live comments, oldest first: by the salted email hash, or by the address itself for records that
   * carry one without a hash (taken in from a v1 namespace whose metadata had none) when the address is known.
   */
  byPerson(emailHash: string, email: string | null): AdminComment[] {
    return this.rows<{ record: string }>(
      `SELECT record FROM comments WHERE ${LIVE} AND (email_hash = ? OR (email_hash IS NULL AND lower(json_extract(record, '$.email')) = ?))
       ORDER BY created_at, id`,
      emailHash, email === null ? null : email.trim().toLowerCase(),
    ).map((row) => JSON.parse(row.record) as AdminComment);
  }

  /** The post a deleted comment was on (its tombstone keeps it), or undefined. */
  tombstonePostOf(id: string): string | undefined {
    return this.rows<{ post: string }>("SELECT post FROM comments WHERE id = ? AND status = 'deleted'", id)[0]?.post;
  }

  /**
   * Adds records (or revives deleted ones), recounting their posts. Returns the posts touched. A record is stored
   * without its address: the hash is what lookups use (docs/mail.md, "Addresses at rest").
   */
  insert(entries: readonly { record: AdminComment; emailHash: string | null }[]): Set<string> {
    return this.transaction(() => {
      const posts = new Set<string>();
      for (const { record: given, emailHash } of entries) {
        const record: AdminComment = { ...given, email: null };
        this.sql.exec(
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
    return this.transaction(() => {
      const before = this.get(id);
      if (!before) return null;
      const after: AdminComment = { ...before, status, moderatedAt };
      this.sql.exec(
        "UPDATE comments SET status = ?, moderated_at = ?, record = ? WHERE id = ?",
        status, moderatedAt, JSON.stringify(after), id,
      );
      this.#recount(before.post);
      if ((before.status === "approved") !== (status === "approved")) this.advancePublication();
      return { before, after };
    });
  }

  /**
   * Deletes a comment's content for good, leaving a tombstone (id, post, time) so no path can republish it: `deleted`
   * for a delete, `erased` for a person's erasure (which imports may never restore either).
   */
  tombstone(id: string, at: string, as: "deleted" | "erased" = "deleted"): AdminComment | null {
    return this.transaction(() => {
      const before = this.get(id);
      if (!before) return null;
      this.sql.exec(
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
    this.sql.exec(
      "INSERT INTO comments (id, post, parent_id, status, email_hash, created_at, moderated_at, record) VALUES (?, ?, NULL, 'erased', NULL, ?, ?, NULL)",
      id, post, at, at,
    );
    return true;
  }

  #recount(post: string): void {
    const { n } = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM comments WHERE post = ? AND status = 'approved'", post).one();
    this.sql.exec("INSERT OR REPLACE INTO approved_counts (post, approved) VALUES (?, ?)", post, n);
  }

  /** A post's approved records, oldest first: what its published thread is derived from. O(comments on the post). */
  approvedOn(post: string): AdminComment[] {
    return this.rows<{ record: string }>(
      "SELECT record FROM comments WHERE post = ? AND status = 'approved' ORDER BY created_at, id",
      post,
    ).map((row) => JSON.parse(row.record) as AdminComment);
  }

  /** Approved comments per post, for every post that has or had comments. O(posts). */
  approvedCounts(): Map<string, number> {
    return new Map(this.rows<{ post: string; approved: number }>("SELECT post, approved FROM approved_counts").map((r) => [r.post, r.approved]));
  }

  /** Every approved record, by post then oldest first: what the site build renders (`GET /api/comments/all`). */
  approvedAll(): AdminComment[] {
    return this.rows<{ record: string }>("SELECT record FROM comments WHERE status = 'approved' ORDER BY post, created_at, id")
      .map((row) => JSON.parse(row.record) as AdminComment);
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
    return this.rows<{ record: string }>(
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
    return this.transaction(() => {
      const before = this.get(id);
      if (!before) return null;
      const after: AdminComment = { ...before, body };
      this.sql.exec("UPDATE comments SET record = ? WHERE id = ?", JSON.stringify(after), id);
      this.bumpRevision(id);
      if (before.status === "approved") this.advancePublication();
      return { before, after };
    });
  }

  /** Up to `limit` live records after the (createdAt, id) position, oldest first: one page of the export. */
  exportPage(after: { createdAt: string; id: string } | null, limit: number): AdminComment[] {
    const rows = after
      ? this.rows<{ record: string }>(
          `SELECT record FROM comments WHERE ${LIVE} AND (created_at > ? OR (created_at = ? AND id > ?))
           ORDER BY created_at, id LIMIT ?`,
          after.createdAt, after.createdAt, after.id, limit,
        )
      : this.rows<{ record: string }>(`SELECT record FROM comments WHERE ${LIVE} ORDER BY created_at, id LIMIT ?`, limit);
    return rows.map((row) => JSON.parse(row.record) as AdminComment);
  }

  /** Live comments by status. */
  statusCounts(): Record<Status, number> {
    const counts: Record<Status, number> = { pending: 0, approved: 0, rejected: 0, spam: 0 };
    for (const row of this.rows<{ status: string; n: number }>("SELECT status, COUNT(*) AS n FROM comments GROUP BY status")) {
      if (row.status in counts) counts[row.status as Status] = row.n;
    }
    return counts;
  }

  /** Replaces a live comment's text (and status); returns the record as it now is, or null when unknown or deleted. */
  revise(id: string, body: string, status: Status, moderatedAt: string | null): { before: AdminComment; after: AdminComment } | null {
    return this.transaction(() => {
      const before = this.get(id);
      if (!before) return null;
      const after: AdminComment = { ...before, body, status, moderatedAt };
      this.sql.exec(
        "UPDATE comments SET status = ?, moderated_at = ?, record = ? WHERE id = ?",
        status, moderatedAt, JSON.stringify(after), id,
      );
      this.#recount(before.post);
      this.bumpRevision(id);
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
    return this.transaction(() => {
      const ids = this.rows<{ id: string }>("SELECT id FROM comments WHERE record IS NOT NULL AND json_extract(record, '$.email') IS NOT NULL").map((r) => r.id);
      this.sql.exec("UPDATE comments SET record = json_set(record, '$.email', json('null')) WHERE record IS NOT NULL AND json_extract(record, '$.email') IS NOT NULL");
      return ids;
    });
  }
}
