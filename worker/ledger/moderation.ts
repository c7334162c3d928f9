// The moderators' actions on the ledger: approve, reject, spam, delete, bulk, edit, the blog's reply, block, the
// one-click link, import, adopt, republish and one person's export and erasure. Each is audited on the desk
// (worker/desk/tables.ts) in the step that makes the change. `Moderation` is the whole set of actions: these, the
// author's (author-actions.ts) and the intake they share (actions.ts); the Durable Object (object.ts) holds one.
import type { AdminComment } from "../comment.ts";
import type { Rule } from "../desk/tables.ts";
import { type ActionOutcome, type Actor, type LedgerEntry, postKeys, SYSTEM } from "./actions.ts";
import { AuthorActions } from "./author-actions.ts";
import type { OutboxKey } from "./outbox.ts";
import { type ErasureReceipt, erasePerson, exportPerson, type Person, type PersonExport } from "./person.ts";
import type { BulkAction, FieldErrors, Status } from "../intake/schema.ts";

/** `fields` names every entry that stopped the import (nothing was imported then); null on success. */
export interface ImportOutcome {
  imported: number;
  skipped: number;
  /** Ids deleted here that the import left deleted. */
  keptDeleted: number;
  fields: FieldErrors | null;
}

export interface BulkResult {
  id: string;
  ok: boolean;
  status?: Status | "deleted";
  error?: string;
}

export interface LinkOutcome {
  /** `stale`: the text was edited after the confirmation page showed it (the link stays unused). */
  refused: "used" | "revoked" | "gone" | "stale" | null;
  record: AdminComment | null;
  published: boolean;
}

/** Why an approval of a text the moderator did not see was refused. */
export const STALE_MESSAGE = "This comment was edited after you loaded it: read it again before approving.";

/** The audit log's name for the action that sets each status. */
const ACTIONS: Record<Status, string> = { approved: "approve", rejected: "reject", spam: "spam", pending: "unapprove" };
const BULK_STATUS = { approve: "approved", reject: "rejected", spam: "spam" } as const;

export class Moderation extends AuthorActions {
  /**
   * Approves, rejects or marks a comment spam; null when the id is unknown or deleted. `seenRevision`: the text's
   * revision the moderator read (from the list); if the text changed since, nothing changes and `stale` says so, so
   * no one approves a text they did not see.
   */
  async setStatus(id: string, status: Status, actor: Actor = SYSTEM, action: string = ACTIONS[status], seenRevision?: number): Promise<(ActionOutcome & { stale?: true }) | null> {
    const current = this.options.ledger.get(id);
    if (current && seenRevision !== undefined && this.options.ledger.revisionOf(id) !== seenRevision) return { record: current, published: false, stale: true };
    const changed = this.#changeStatus(id, status, actor, action);
    if (!changed) return null;
    const published = await this.publish(postKeys([changed.post]));
    return { record: changed, published };
  }

  #changeStatus(id: string, status: Status, actor: Actor, action: string): AdminComment | null {
    const { ledger, desk } = this.options;
    return ledger.transaction(() => {
      const at = this.at();
      const changed = ledger.setStatus(id, status, at);
      if (changed) desk.auditComment(at, actor, action, changed.before, changed.after);
      if (changed && status === "approved" && changed.before.status !== "approved") this.options.onApproved?.(changed.after, ledger.emailHashOf(id));
      return changed?.after ?? null;
    });
  }

  /** One action on up to BULK_MAX_IDS comments: each changed and audited, then published in one pass. */
  async bulk(action: BulkAction, ids: readonly string[], actor: Actor, seenRevisions: Readonly<Record<string, number>> = {}): Promise<{ results: BulkResult[]; posts: string[]; published: boolean }> {
    const results: BulkResult[] = [];
    const posts = new Set<string>();
    const erased: OutboxKey[] = [];
    for (const id of ids) {
      const seen = seenRevisions[id];
      if (action === "approve" && seen !== undefined && this.options.ledger.revisionOf(id) !== seen) {
        results.push({ id, ok: false, error: STALE_MESSAGE });
        continue;
      }
      const record = action === "delete" ? this.tombstone(id, actor) : this.#changeStatus(id, BULK_STATUS[action], actor, action);
      if (!record) {
        results.push({ id, ok: false, error: "There is no comment with that id." });
        continue;
      }
      posts.add(record.post);
      if (action === "delete") erased.push(`record:${id}`);
      results.push({ id, ok: true, status: action === "delete" ? "deleted" : record.status });
    }
    const published = posts.size === 0 ? true : await this.publish([...postKeys(posts), ...erased]);
    return { results, posts: [...posts], published };
  }

  /** Replaces a comment's text, keeping the original in the audit entry (erased if the comment is deleted). */
  async edit(id: string, body: string, actor: Actor): Promise<ActionOutcome | null> {
    const { ledger, desk } = this.options;
    const changed = ledger.transaction(() => {
      const result = ledger.updateBody(id, body);
      if (result) desk.auditComment(this.at(), actor, "edit", result.before, result.after, { body: result.before.body });
      return result;
    });
    if (!changed) return null;
    // The comment's KV record follows the new text; readers' thread only when the comment is published.
    const keys: OutboxKey[] = changed.after.status === "approved" ? [...postKeys([changed.after.post]), `record:${id}`] : [`record:${id}`];
    return { record: changed.after, published: await this.publish(keys) };
  }

  /** The blog's own reply to an approved comment, approved at once; null when the parent is not approved. */
  async reply(parentId: string, reply: Pick<AdminComment, "id" | "author" | "body">, actor: Actor): Promise<ActionOutcome | null> {
    const { ledger, desk } = this.options;
    const parent = ledger.get(parentId);
    if (!parent || parent.status !== "approved") return null;
    const at = this.at();
    const record: AdminComment = {
      ...reply, post: parent.post, parentId, email: null, website: null, createdAt: at, status: "approved", moderatedAt: at, byBlog: true,
    };
    ledger.transaction(() => {
      ledger.insert([{ record, emailHash: null }]);
      desk.auditComment(at, actor, "reply", null, record, { parentId });
      this.options.onApproved?.(record, null);
    });
    return { record, published: await this.publish(postKeys([record.post])) };
  }

  /** Marks a comment spam and blocks its email (a rule on its hash): one action, one audit entry. */
  async block(id: string, ruleId: string, actor: Actor): Promise<(ActionOutcome & { rule: Rule | null }) | null> {
    const { ledger, desk } = this.options;
    const done = ledger.transaction(() => {
      const at = this.at();
      const emailHash = ledger.emailHashOf(id);
      const changed = ledger.setStatus(id, "spam", at);
      if (!changed) return null;
      const rule: Rule | null = emailHash === null
        ? null
        : { id: ruleId, kind: "email", value: emailHash, action: "spam", createdAt: at, createdBy: actor };
      if (rule && !desk.rules().some((r) => r.kind === "email" && r.value === emailHash)) desk.addRule(rule, false);
      desk.auditComment(at, actor, "block", changed.before, changed.after, rule ? { rule: rule.id } : undefined);
      return { record: changed.after, rule };
    });
    if (!done) return null;
    return { ...done, published: await this.publish(postKeys([done.record.post])) };
  }

  /**
   * A one-click link's action, once: refused when the link was used, its moderator revoked or the comment is gone.
   * The check, the change, the audit entry and the link's use are one atomic step.
   */
  async actByLink(link: { linkId: string; action: "approve" | "reject" | "spam"; id: string; moderator: string; seenRevision?: number }): Promise<LinkOutcome> {
    const { ledger, desk } = this.options;
    const done = ledger.transaction((): { refused: LinkOutcome["refused"]; record: AdminComment | null } => {
      if (desk.linkUsed(link.linkId)) return { refused: "used", record: null };
      if (!desk.activeModerator(link.moderator)) return { refused: "revoked", record: null };
      if (link.action === "approve" && link.seenRevision !== undefined && ledger.revisionOf(link.id) !== link.seenRevision) return { refused: "stale", record: null };
      const record = this.#changeStatus(link.id, BULK_STATUS[link.action], link.moderator, link.action);
      if (!record) return { refused: "gone", record: null };
      desk.markLinkUsed(link.linkId, this.at());
      return { refused: null, record };
    });
    if (!done.record) return { ...done, published: false };
    return { ...done, published: await this.publish(postKeys([done.record.post])) };
  }

  /**
   * Imports records (a backup, or comments from another system). Ids already live are skipped; so, always, is an id
   * erased with its author's data (a backup taken before the erasure must not bring it back); and so are ids deleted
   * here (`keptDeleted`: an import never brings back what a moderator deleted) unless `restoreDeleted` asks.
   * All-or-nothing: any unknown post or parent fails the whole batch with every problem named.
   */
  async importEntries(entries: readonly LedgerEntry[], actor: Actor = SYSTEM, options: { restoreDeleted?: boolean } = {}): Promise<ImportOutcome> {
    const { ledger } = this.options;
    const known = new Set(this.options.knownPosts());
    const stored = ledger.knownIds(entries.map((entry) => entry.record.id));
    const batch = new Map<string, LedgerEntry>();
    const fields: FieldErrors = {};
    let skipped = 0;
    let keptDeleted = 0;
    for (const [index, entry] of entries.entries()) {
      const { id, post } = entry.record;
      if (!known.has(post)) fields[`${index}.post`] = `There is no post "${post}".`;
      if (batch.has(id) || ledger.get(id) || ledger.isErased(id)) skipped++;
      else if (stored.has(id) && !options.restoreDeleted) keptDeleted++;
      else batch.set(id, entry);
    }
    for (const [index, { record }] of entries.entries()) {
      if (record.parentId === null || batch.get(record.id) !== entries[index]) continue;
      // A parent deleted here still holds its place (its tombstone keeps the post), as it does for replies already stored.
      const parentPost = batch.get(record.parentId)?.record.post ?? ledger.postOf(record.parentId) ?? ledger.tombstonePostOf(record.parentId);
      if (parentPost !== record.post) fields[`${index}.parentId`] = `Comment ${record.parentId} is not on post "${record.post}".`;
    }
    if (Object.keys(fields).length > 0) return { imported: 0, skipped: 0, keptDeleted: 0, fields };
    const posts = ledger.transaction(() => {
      const touched = ledger.insert([...batch.values()]);
      this.options.desk.audit({ at: this.at(), moderator: actor, action: "import", id: null, post: null, from: null, to: null, detail: { imported: batch.size, skipped, keptDeleted, posts: [...touched] } });
      return touched;
    });
    await this.publish(postKeys(posts));
    return { imported: batch.size, skipped, keptDeleted, fields: null };
  }

  /** Of these ids (from a KV scan), the ones the ledger has never seen, live or deleted. */
  unknownIds(ids: readonly string[]): string[] {
    const known = this.options.ledger.knownIds(ids);
    return ids.filter((id) => !known.has(id));
  }

  /**
   * Takes in records found in KV that the ledger lacks: comments stored while the ledger was unreachable, or a
   * v1 namespace being migrated (its records' statuses were the truth then). Never overrides the ledger.
   */
  async adopt(entries: readonly LedgerEntry[], options: { autoApproveReturning?: boolean } = {}): Promise<{ added: number; present: number }> {
    let added = 0;
    for (const entry of entries) {
      const before = this.options.ledger.knownIds([entry.record.id]).size;
      await this.ingest(entry, options);
      if (before === 0) added++;
    }
    return { added, present: entries.length - added };
  }

  /**
   * Re-derives every post's thread (or these posts') and the counts, and waits (bounded) for the writes. `force`
   * writes even a value KV should already hold: the repair for a KV value changed or lost behind the ledger's back.
   */
  async republish({ force = false, posts = this.options.knownPosts(), audit }: { force?: boolean; posts?: readonly string[]; audit?: { moderator: Actor; action: "rebuild" | "migrate" } } = {}): Promise<{ posts: number; comments: number; published: boolean }> {
    const keys = postKeys(posts);
    if (force) this.options.ledger.forgetPublished(keys);
    if (audit) this.options.desk.audit({ at: this.at(), ...audit, id: null, post: posts.length === 1 ? posts[0]! : null, from: null, to: null });
    const published = await this.publish(keys);
    const counts = this.options.ledger.approvedCounts();
    const comments = posts.reduce((sum, post) => sum + (counts.get(post) ?? 0), 0);
    return { posts: posts.length, comments, published };
  }

  /** Everything held about one person (person.ts). */
  exportPerson(person: Person): Omit<PersonExport, "subscriptions"> {
    return exportPerson(this.options.ledger, this.options.desk, person);
  }

  /** Erases one person's comments (person.ts), then publishes their threads and deletes their KV records. */
  async erasePerson(person: Person, kvOnly: readonly { id: string; post: string }[], actor: Actor): Promise<ErasureReceipt> {
    const { ledger, desk } = this.options;
    const { receipt, keys } = ledger.transaction(() => erasePerson(ledger, desk, person, kvOnly, actor, this.at()));
    return { ...receipt, published: keys.length === 0 ? true : await this.publish(keys) };
  }
}
