// The moderators' own addresses, in the ledger's SQLite beside the reader subscriptions: a named moderator (or the
// owner) may give one, for the test email from /admin and the mail about new pending comments. Like a subscriber's,
// the address is kept only sealed (address-seal.ts) with its salted hash, and opened only to send.
//
// Whether a moderator wants the pending-comment mail is kept apart from the address (`mail_moderator_prefs`), on
// by default as WordPress's "Email me whenever a comment is held for moderation" is: a row exists only for a
// moderator who turned it off (or back on), so giving a new address never undoes their choice.
import { createTables } from "../ledger/outbox.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS mail_moderators (
  name TEXT PRIMARY KEY,
  email_hash TEXT NOT NULL,
  address TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS mail_moderator_prefs (
  name TEXT PRIMARY KEY,
  pending_mail INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`;

/** A moderator's sealed address and its salted hash (the delivery log names recipients by the hash). */
export interface ModeratorAddress {
  emailHash: string;
  sealed: string;
}

/** A moderator the pending-comment mail may go to: they gave an address and kept the mail on. */
export interface PendingMailRecipient {
  name: string;
  emailHash: string;
}

export class ModeratorAddresses {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    createTables(sql, SCHEMA);
  }

  /** The moderator's address, or null when they gave none. */
  get(name: string): ModeratorAddress | null {
    const row = this.#sql.exec<{ email_hash: string; address: string }>("SELECT email_hash, address FROM mail_moderators WHERE name = ?", name).toArray()[0];
    return row ? { emailHash: row.email_hash, sealed: row.address } : null;
  }

  /** Keeps the moderator's address (replacing one given before), or forgets it when `address` is null. */
  set(name: string, address: ModeratorAddress | null, now: number): void {
    if (address === null) this.#sql.exec("DELETE FROM mail_moderators WHERE name = ?", name);
    else {
      this.#sql.exec(
        "INSERT INTO mail_moderators (name, email_hash, address, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET email_hash = excluded.email_hash, address = excluded.address, updated_at = excluded.updated_at",
        name, address.emailHash, address.sealed, now,
      );
    }
  }

  /** Whether the moderator wants the mail about new pending comments (on unless they turned it off). */
  pendingMailOn(name: string): boolean {
    const row = this.#sql.exec<{ pending_mail: number }>("SELECT pending_mail FROM mail_moderator_prefs WHERE name = ?", name).toArray()[0];
    return row ? row.pending_mail === 1 : true;
  }

  setPendingMail(name: string, on: boolean, now: number): void {
    this.#sql.exec(
      "INSERT INTO mail_moderator_prefs (name, pending_mail, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET pending_mail = excluded.pending_mail, updated_at = excluded.updated_at",
      name, on ? 1 : 0, now,
    );
  }

  /** Everyone with an address and the pending-comment mail on, by name (the caller checks they are still active). */
  pendingMailRecipients(): PendingMailRecipient[] {
    return this.#sql.exec<{ name: string; email_hash: string }>(
      `SELECT m.name, m.email_hash FROM mail_moderators m LEFT JOIN mail_moderator_prefs p ON p.name = m.name
       WHERE COALESCE(p.pending_mail, 1) = 1 ORDER BY m.name`,
    ).toArray().map((row) => ({ name: row.name, emailHash: row.email_hash }));
  }

  /** Forgets everything kept for a moderator (revoked): their address and their choice. */
  forget(name: string): void {
    this.#sql.exec("DELETE FROM mail_moderators WHERE name = ?", name);
    this.#sql.exec("DELETE FROM mail_moderator_prefs WHERE name = ?", name);
  }
}
