// The moderation desk's tables, beside the ledger's in the same Durable Object SQLite (worker/ledger/ledger.ts keeps
// the comments): named moderators (only a hash of each token), the audit log, the arrival rules and the one-click links
// already used. Like the ledger, every method is synchronous, so a caller can write a change and its audit entry
// in one atomic step (`Ledger.transaction`, as worker/ledger/moderation.ts does for comments); the changes to
// moderators and rules are audited here, each in one transaction.
import type { AdminComment, LedgerStatus } from "../comment.ts";
import type { AuditDraft, AuditEntry, Moderator, ModeratorListing, Rule } from "../desk-shapes.ts";
import { createTables } from "../ledger/outbox.ts";
import type { ModeratorRole, RuleAction, RuleKind } from "../intake/schema.ts";

export type { AuditDraft, AuditEntry, Moderator, ModeratorListing, Rule } from "../desk-shapes.ts";

/** The bootstrap owner (MODERATOR_TOKEN): not in the table, and no moderator may take the name. */
export const OWNER: Moderator = { name: "owner", role: "owner" };
/** Names the audit log gives the owner's bootstrap token and the service itself (rules, migrations). */
export const RESERVED_NAMES: readonly string[] = [OWNER.name, "system", "rules", "author", "commenter"];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS moderators (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS moderators_by_token ON moderators (token_hash);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  moderator TEXT NOT NULL,
  action TEXT NOT NULL,
  comment_id TEXT,
  post TEXT,
  from_status TEXT,
  to_status TEXT,
  detail TEXT
);
CREATE INDEX IF NOT EXISTS audit_by_comment ON audit (comment_id);
CREATE TABLE IF NOT EXISTS rules (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  action TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS used_links (id TEXT PRIMARY KEY, used_at TEXT NOT NULL);
`;

type Row = Record<string, SqlStorageValue>;
type AuditRow = { seq: number; at: string; moderator: string; action: string; comment_id: string | null; post: string | null; from_status: string | null; to_status: string | null; detail: string | null };

export class Desk {
  readonly #sql: SqlStorage;
  readonly #transaction: <T>(closure: () => T) => T;

  constructor(sql: SqlStorage, transaction: <T>(closure: () => T) => T) {
    this.#sql = sql;
    this.#transaction = transaction;
    createTables(sql, SCHEMA);
  }

  #rows<T extends Row>(query: string, ...bindings: unknown[]): T[] {
    return this.#sql.exec<T>(query, ...bindings).toArray();
  }

  /** The active moderator holding the token with this hash, or null (unknown or revoked). */
  moderatorByTokenHash(tokenHash: string): Moderator | null {
    const row = this.#rows<{ name: string; role: string }>(
      "SELECT name, role FROM moderators WHERE token_hash = ? AND revoked_at IS NULL",
      tokenHash,
    )[0];
    return row ? { name: row.name, role: row.role as ModeratorRole } : null;
  }

  /** The active moderator with this name (the bootstrap owner included), or null. */
  activeModerator(name: string): Moderator | null {
    if (name === OWNER.name) return OWNER;
    const row = this.#rows<{ name: string; role: string }>("SELECT name, role FROM moderators WHERE name = ? AND revoked_at IS NULL", name)[0];
    return row ? { name: row.name, role: row.role as ModeratorRole } : null;
  }

  moderators(): ModeratorListing[] {
    return this.#rows<{ name: string; role: string; created_at: string; revoked_at: string | null }>(
      "SELECT name, role, created_at, revoked_at FROM moderators ORDER BY created_at, name",
    ).map((r) => ({ name: r.name, role: r.role as ModeratorRole, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  /**
   * Adds a moderator (or gives a revoked name a new token), audited under `actor`; false when an active moderator
   * has the name or it is one the audit log keeps for itself.
   */
  addModerator(moderator: Moderator, tokenHash: string, actor: string, at: string): boolean {
    return this.#transaction(() => {
      if (RESERVED_NAMES.includes(moderator.name.toLowerCase()) || this.activeModerator(moderator.name)) return false;
      this.#sql.exec(
        "INSERT OR REPLACE INTO moderators (name, role, token_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, NULL)",
        moderator.name, moderator.role, tokenHash, at,
      );
      this.#auditDesk(at, actor, "moderator-add", { ...moderator });
      return true;
    });
  }

  /** Revokes an active moderator, audited; false when there is none by that name (the bootstrap owner never is). */
  revokeModerator(name: string, actor: string, at: string): boolean {
    return this.#transaction(() => {
      const moderator = name === OWNER.name ? null : this.activeModerator(name);
      if (!moderator) return false;
      this.#sql.exec("UPDATE moderators SET revoked_at = ? WHERE name = ?", at, name);
      this.#auditDesk(at, actor, "moderator-revoke", { ...moderator });
      return true;
    });
  }

  #auditDesk(at: string, moderator: string, action: string, detail: Record<string, unknown>): void {
    this.audit({ at, moderator, action, id: null, post: null, from: null, to: null, detail });
  }

  audit(entry: AuditDraft): void {
    this.#sql.exec(
      "INSERT INTO audit (at, moderator, action, comment_id, post, from_status, to_status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      entry.at, entry.moderator, entry.action, entry.id, entry.post, entry.from, entry.to,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
    );
  }

  /** An audit entry for a change of one comment. */
  auditComment(at: string, moderator: string, action: string, before: AdminComment | null, after: AdminComment | null, detail?: Record<string, unknown>): void {
    const comment = (after ?? before)!;
    this.audit({ at, moderator, action, id: comment.id, post: comment.post, from: before?.status ?? null, to: after?.status ?? "deleted", detail });
  }

  /** Up to `limit` entries, newest first, older than `before` (a `seq`) when given. */
  auditPage(limit: number, before: number | null): AuditEntry[] {
    return this.#entries(this.#rows(
      `SELECT * FROM audit ${before === null ? "" : "WHERE seq < ?"} ORDER BY seq DESC LIMIT ?`,
      ...(before === null ? [limit] : [before, limit]),
    ));
  }

  #entries(rows: Row[]): AuditEntry[] {
    return (rows as AuditRow[]).map((r) => ({
      seq: r.seq,
      at: r.at,
      moderator: r.moderator,
      action: r.action,
      id: r.comment_id,
      post: r.post,
      from: r.from_status as LedgerStatus | null,
      to: r.to_status as LedgerStatus | null,
      ...(r.detail === null ? {} : { detail: JSON.parse(r.detail) as Record<string, unknown> }),
    }));
  }

  /** A deleted comment's text must not survive it: drops the original text edits kept. Returns the rows changed. */
  forgetText(commentId: string): number {
    const kept = "comment_id = ? AND action = 'edit' AND detail IS NOT NULL";
    const { n } = this.#sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM audit WHERE ${kept}`, commentId).one();
    if (n > 0) this.#sql.exec(`UPDATE audit SET detail = NULL WHERE ${kept}`, commentId);
    return n;
  }

  /** Every entry about these comments, oldest first. */
  auditAbout(commentIds: readonly string[]): AuditEntry[] {
    const entries: AuditEntry[] = [];
    for (let i = 0; i < commentIds.length; i += 90) {
      const part = commentIds.slice(i, i + 90);
      entries.push(...this.#entries(this.#rows(`SELECT * FROM audit WHERE comment_id IN (${part.map(() => "?").join(",")}) ORDER BY seq`, ...part)));
    }
    return entries.sort((a, b) => a.seq - b.seq);
  }

  rules(): Rule[] {
    return this.#rows<{ id: string; kind: string; value: string; action: string; created_at: string; created_by: string }>(
      "SELECT * FROM rules ORDER BY created_at, id",
    ).map((r) => ({ id: r.id, kind: r.kind as RuleKind, value: r.value, action: r.action as RuleAction, createdAt: r.created_at, createdBy: r.created_by }));
  }

  /** Adds a rule; audited under its `createdBy` unless `audited` is false (block audits it as part of its own entry). */
  addRule(rule: Rule, audited = true): void {
    this.#transaction(() => {
      this.#sql.exec(
        "INSERT INTO rules (id, kind, value, action, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
        rule.id, rule.kind, rule.value, rule.action, rule.createdAt, rule.createdBy,
      );
      if (audited) this.#auditDesk(rule.createdAt, rule.createdBy, "rule-add", { ...rule });
    });
  }

  /** Removes a rule, audited; false when unknown. */
  removeRule(id: string, actor: string, at: string): boolean {
    return this.#transaction(() => {
      const rule = this.rules().find((r) => r.id === id);
      if (!rule) return false;
      this.#sql.exec("DELETE FROM rules WHERE id = ?", id);
      this.#auditDesk(at, actor, "rule-remove", { ...rule });
      return true;
    });
  }

  /** Whether a one-click link (by its id) was already used. */
  linkUsed(linkId: string): boolean {
    return this.#rows("SELECT 1 FROM used_links WHERE id = ?", linkId).length > 0;
  }

  markLinkUsed(linkId: string, at: string): void {
    this.#sql.exec("INSERT OR IGNORE INTO used_links (id, used_at) VALUES (?, ?)", linkId, at);
  }
}

/** The action the rules take on an arriving comment: `spam` wins over `hold`; null when no rule fires. */
export function ruleVerdict(rules: readonly Rule[], record: AdminComment, emailHash: string | null, trusted: boolean): { action: RuleAction; rule: Rule } | null {
  let verdict: { action: RuleAction; rule: Rule } | null = null;
  const text = `${record.author}\n${record.body}\n${record.website ?? ""}`.toLowerCase();
  // Each http(s) address, and each bare `www.` one (not the `www.` of an address already counted).
  const links = (record.body.match(/https?:\/\/|(?<![\w./])www\./gi) ?? []).length + (record.website ? 1 : 0);
  for (const rule of rules) {
    const fires =
      (rule.kind === "email" && emailHash !== null && rule.value === emailHash) ||
      (rule.kind === "word" && text.includes(rule.value.toLowerCase())) ||
      (rule.kind === "links" && links > Number(rule.value)) ||
      (rule.kind === "first-comment" && !trusted);
    if (fires && (verdict === null || (verdict.action === "hold" && rule.action === "spam"))) verdict = { action: rule.action, rule };
  }
  return verdict;
}
