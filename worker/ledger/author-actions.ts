// The author's take-back ("take it back"): for a short while after posting, the author of a new comment may edit or
// delete it with the edit token the worker gave them (its hash and deadline are the edit grant, edit-grants.ts).
// Apart from the moderators' actions (moderation.ts) because a different person acts, with a different proof: the
// ledger checks the grant, not a moderator's token. The routes are worker/http/routes/author.ts. The commenter's
// delete from their "manage my comments" page is here too: the same delete, proved by the signed link's email hash
// instead of an edit token, with no time limit (routes/manage.ts).
import type { AdminComment } from "../comment.ts";
import type { Status } from "../intake/schema.ts";
import { AUTHOR, COMMENTER, LedgerActions, type LedgerEntry, postKeys } from "./actions.ts";
import type { OutboxKey } from "./outbox.ts";

/** An author's edit grant as the worker hands it over: the token's hash and when the window closes (ms). */
export interface EditGrant {
  tokenHash: string;
  until: number;
}

/** Why the ledger refused an author's edit or delete. */
export type AuthorRefusal = "forbidden" | "expired" | "gone" | "rejected";

/**
 * The answer to an author's edit or delete: `refused` says why not (the route turns it into an error), or is null
 * with the record as it now is. One flat shape, because a union does not survive the Durable Object RPC types.
 */
export interface AuthorOutcome {
  refused: AuthorRefusal | null;
  record: AdminComment | null;
  emailHash: string | null;
  published: boolean;
}

const refuse = (refused: AuthorRefusal): AuthorOutcome => ({ refused, record: null, emailHash: null, published: false });

export class AuthorActions extends LedgerActions {
  /**
   * Takes in a new submission as `ingest` does and, when the id was new, records its author's edit grant in the same
   * step (before any wait), so the token the worker returns works at once. `editable` is false for a known id.
   */
  async ingestEditable(entry: LedgerEntry, options: { autoApproveReturning?: boolean }, grant: EditGrant): Promise<{ status: Status | "deleted"; editable: boolean }> {
    const editable = this.options.ledger.knownIds([entry.record.id]).size === 0;
    if (editable) this.options.ledger.grantEdit(entry.record.id, grant.tokenHash, grant.until, this.options.now());
    const status = await this.ingest(entry, options);
    return { status, editable };
  }

  /** Why the author may not act on `id` with this token now, or null when they may. */
  #authorRefusal(id: string, tokenHash: string): "forbidden" | "expired" | null {
    const grant = this.options.ledger.editGrant(id);
    if (!grant || grant.tokenHash !== tokenHash) return "forbidden";
    return this.options.now() >= grant.until ? "expired" : null;
  }

  /**
   * The author's new text. A pending comment stays pending; an approved one returns to pending (and leaves the
   * published thread) unless `keepApproval`, when the thread is republished with the new text. A rejected comment
   * cannot be edited back into the queue.
   */
  async editByAuthor(id: string, tokenHash: string, body: string, { keepApproval = false } = {}): Promise<AuthorOutcome> {
    const refused = this.#authorRefusal(id, tokenHash);
    if (refused) return refuse(refused);
    const { ledger } = this.options;
    const current = ledger.get(id);
    if (!current) return refuse("gone");
    // A moderator's refusal (rejected, or spam) stands: the author cannot edit a comment back into the queue.
    if (current.status === "rejected" || current.status === "spam") return refuse("rejected");
    const keep = current.status === "approved" && keepApproval;
    const changed = ledger.transaction(() => {
      const revised = ledger.revise(id, body, keep ? "approved" : "pending", keep ? current.moderatedAt : null);
      if (revised) this.options.desk.audit({ at: this.at(), moderator: AUTHOR, action: "author-edit", id, post: current.post, from: current.status, to: revised.after.status });
      return revised;
    });
    if (!changed) return refuse("gone");
    const emailHash = ledger.emailHashOf(id);
    // The comment's KV record follows the new text (the ledger writes it, so a delete racing this edit always wins).
    const keys: OutboxKey[] = current.status === "approved" ? [...postKeys([current.post]), `record:${id}`] : [`record:${id}`];
    const published = await this.publish(keys);
    return { refused: null, record: changed.after, emailHash, published };
  }

  /** The author withdraws the comment: exactly a moderator's delete (unpublished, KV record erased, tombstone). */
  async removeByAuthor(id: string, tokenHash: string): Promise<AuthorOutcome> {
    const refused = this.#authorRefusal(id, tokenHash);
    if (refused) return refuse(refused);
    const outcome = await this.remove(id, AUTHOR);
    return outcome ? { refused: null, record: outcome.record, emailHash: null, published: outcome.published } : refuse("gone");
  }

  /**
   * The commenter deletes one of their comments from their "manage my comments" page: exactly the author's delete,
   * allowed when the comment was written with the address whose hash the signed link names. Null: not theirs, or gone.
   */
  async removeByOwner(id: string, emailHash: string): Promise<AdminComment | null> {
    if (this.options.ledger.emailHashOf(id) !== emailHash) return null;
    const outcome = await this.remove(id, COMMENTER);
    return outcome ? outcome.record : null;
  }
}
