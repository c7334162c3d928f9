// The moderators' own addresses, in the ledger's SQLite beside the reader subscriptions: a named moderator (or the
// owner) may give one, for the test email from /admin and the mail about new pending comments. Like a subscriber's,
// the address is kept only sealed (address-seal.ts) with its salted hash, and opened only to send.
import { createTables } from "../ledger/outbox.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS mail_moderators (
  name TEXT PRIMARY KEY,
  email_hash TEXT NOT NULL,
  address TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`;

/** A moderator's sealed address and its salted hash (the delivery log names recipients by the hash). */
export interface ModeratorAddress {
  emailHash: string;
  sealed: string;
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
}
