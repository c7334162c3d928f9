// The ledger's record of edits, beside the comments (ledger.ts): each new comment's edit grant ("take it back": the
// SHA-256 of its author's edit token and when the window closes) and how many times each comment's text changed
// (so an approval can name the text it approves). Apart from the comment rows because only the author's actions
// (author-actions.ts), the moderators' revision checks and a person's erasure (person.ts) read them.
import { createTables, LedgerOutbox } from "./outbox.ts";

// Edit grants ("take it back"): the SHA-256 of each new comment's edit token and the moment (ms) its
// author's window closes. Never the token itself. Rows past their deadline are pruned when the next grant is added.
const EDIT_GRANTS_SCHEMA = "CREATE TABLE IF NOT EXISTS edit_grants (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL, until INTEGER NOT NULL)";
// How many times a comment's text was changed after it arrived (an author's or a moderator's edit; none: no row), so
// an approval can say which text it approves.
const REVISIONS_SCHEMA = "CREATE TABLE IF NOT EXISTS revisions (id TEXT PRIMARY KEY, revision INTEGER NOT NULL)";

export class LedgerEdits extends LedgerOutbox {
  constructor(sql: SqlStorage, transaction: <T>(closure: () => T) => T) {
    super(sql, transaction);
    createTables(sql, EDIT_GRANTS_SCHEMA);
    createTables(sql, REVISIONS_SCHEMA);
  }

  /** Counts one more change of the comment's text (call it inside the step that changes the text). */
  protected bumpRevision(id: string): void {
    this.sql.exec("INSERT INTO revisions (id, revision) VALUES (?, 1) ON CONFLICT (id) DO UPDATE SET revision = revision + 1", id);
  }

  /** How many times the comment's text changed after it arrived (0: never). */
  revisionOf(id: string): number {
    return this.rows<{ revision: number }>("SELECT revision FROM revisions WHERE id = ?", id)[0]?.revision ?? 0;
  }

  // Edit grants: an author's right to edit or delete their own comment for a short while.

  /** Records the hash of a comment's edit token and its deadline, dropping every grant already past its own. */
  grantEdit(id: string, tokenHash: string, until: number, now: number): void {
    this.sql.exec("DELETE FROM edit_grants WHERE until <= ?", now);
    this.sql.exec("INSERT OR REPLACE INTO edit_grants (id, token_hash, until) VALUES (?, ?, ?)", id, tokenHash, until);
  }

  /** Removes a comment's edit grant; whether there was one. */
  revokeEditGrant(id: string): boolean {
    if (!this.editGrant(id)) return false;
    this.sql.exec("DELETE FROM edit_grants WHERE id = ?", id);
    return true;
  }

  /** Forgets how often a comment's text changed (its text is gone). */
  forgetRevision(id: string): void {
    this.sql.exec("DELETE FROM revisions WHERE id = ?", id);
  }

  /** The grant of a comment, or null (none was given, or it was pruned after its deadline). */
  editGrant(id: string): { tokenHash: string; until: number } | null {
    const row = this.rows<{ token_hash: string; until: number }>("SELECT token_hash, until FROM edit_grants WHERE id = ?", id)[0];
    return row ? { tokenHash: row.token_hash, until: row.until } : null;
  }

}
