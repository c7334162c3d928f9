// Moderation actions on the ledger, and how they reach readers. Each action commits to the ledger (one atomic,
// strongly consistent step), marks what it changed in the outbox, and lets the publisher write it to KV.
// An action answers once its post's thread and the counts are written, or, when KV's one-write-a-second rule or
// an outage holds a write back, after at most `maxWaitMs` (the answer then says `published: false`; the
// Durable Object's alarm finishes the write). The worker calls these through the Durable Object (object.ts);
// tests call them directly with a KV double and a fake clock.
import type { AdminComment } from "../comment.ts";
import { type Desk, type Rule, ruleVerdict } from "../desk/tables.ts";
import type { Ledger, OutboxKey } from "./ledger.ts";
import { type ErasureReceipt, erasePerson, exportPerson, type Person, type PersonExport } from "./person.ts";
import type { Publisher } from "../publish/publisher.ts";
import type { BulkAction, FieldErrors, Status } from "../intake/schema.ts";

/** A record and the salted hash of its email (null when it has none), as the worker hands them over. */
export interface LedgerEntry {
  record: AdminComment;
  emailHash: string | null;
}

export interface ActionOutcome {
  record: AdminComment;
  /** Whether the change is in KV (readers see it within KV's propagation time) when the action answers. */
  published: boolean;
}

/** `fields` names every entry that stopped the import (nothing was imported then); null on success. */
export interface ImportOutcome {
  imported: number;
  skipped: number;
  /** Ids deleted here that the import left deleted. */
  keptDeleted: number;
  fields: FieldErrors | null;
}

/** Who acts, as the audit log names them: a moderator's name, or `system` for the service itself. */
export type Actor = string;
export const SYSTEM: Actor = "system";
/** The commenter acting with their edit token. */
export const AUTHOR: Actor = "author";

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

export interface ModerationOptions {
  ledger: Ledger;
  desk: Desk;
  publisher: Publisher;
  knownPosts: () => readonly string[];
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** How long an action waits for KV to accept its writes before answering (0: it does not wait). */
  maxWaitMs: number;
  /**
   * Sets the Durable Object's alarm, in the same step as the outbox change it follows, so the outbox is worked even
   * if the object is reset before its own pass sets a wake-up.
   */
  armAlarm: (at: number) => void;
  /**
   * Called inside the transaction that makes a comment approved (a moderator's approval, the blog's reply, an
   * auto-approved submission), so what it writes (the reply notification, worker/mail/) commits with the approval.
   */
  onApproved?: (record: AdminComment, emailHash: string | null) => void;
}

/** The alarm armed with every outbox change: a backstop after the action's own pass, which normally ends the work. */
const BACKSTOP_MS = 5000;
/** KV accepts one write a second to a key: a comment's record, written by the POST, is not rewritten sooner. */
const RECORD_SPACING_MS = 1000;

/** Why an approval of a text the moderator did not see was refused. */
export const STALE_MESSAGE = "This comment was edited after you loaded it: read it again before approving.";

/** The audit log's name for the action that sets each status. */
const ACTIONS: Record<Status, string> = { approved: "approve", rejected: "reject", spam: "spam", pending: "unapprove" };
const BULK_STATUS = { approve: "approved", reject: "rejected", spam: "spam" } as const;

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

const postKeys = (posts: Iterable<string>): OutboxKey[] => [...[...posts].map((post) => `thread:${post}` as const), "counts"];

export class Moderation {
  readonly #o: ModerationOptions;

  constructor(options: ModerationOptions) {
    this.#o = options;
  }

  get ledger(): Ledger {
    return this.#o.ledger;
  }

  get desk(): Desk {
    return this.#o.desk;
  }

  #at(): string {
    return new Date(this.#o.now()).toISOString();
  }

  /** Marks keys dirty in the outbox (a comment's record no sooner than a second after its submission), alarm armed. */
  #markDirty(keys: readonly OutboxKey[]): void {
    const { ledger, now } = this.#o;
    for (const key of keys) {
      const created = key.startsWith("record:") ? ledger.createdAtOf(key.slice("record:".length)) : null;
      ledger.markDirty([key], Math.max(now(), created === null ? 0 : Date.parse(created) + RECORD_SPACING_MS));
    }
    this.#o.armAlarm(now() + BACKSTOP_MS);
  }

  /** Marks keys dirty, publishes, and waits (bounded) until they are written. */
  async #publish(keys: OutboxKey[]): Promise<boolean> {
    const { publisher, now, sleep, maxWaitMs } = this.#o;
    this.#markDirty(keys);
    const deadline = now() + maxWaitMs;
    await publisher.flush();
    for (;;) {
      const until = publisher.waitingUntil(keys);
      if (until === 0) return true;
      if (until > deadline) return false;
      await sleep(Math.max(0, until - now()));
      await publisher.flush();
    }
  }

  /**
   * A new submission (or one the reconcile found in KV). Idempotent: a known id keeps its ledger state. A pending
   * record from an email with an approved comment is approved at once when `autoApproveReturning` is on.
   */
  async ingest(entry: LedgerEntry, { autoApproveReturning = false } = {}): Promise<Status | "deleted"> {
    const { ledger } = this.#o;
    const known = ledger.get(entry.record.id);
    if (known) return known.status;
    if (ledger.knownIds([entry.record.id]).size > 0) return "deleted";
    let record = entry.record;
    // The owner's rules decide a new submission first: spam wins over hold, and hold beats auto-approval.
    const trusted = entry.emailHash !== null && ledger.isTrusted(entry.emailHash);
    const verdict = record.status === "pending" ? ruleVerdict(this.#o.desk.rules(), record, entry.emailHash, trusted) : null;
    if (verdict?.action === "spam") {
      record = { ...record, status: "spam", moderatedAt: this.#at() };
    } else if (!verdict && record.status === "pending" && autoApproveReturning && trusted) {
      record = { ...record, status: "approved", moderatedAt: this.#at() };
    }
    ledger.transaction(() => {
      ledger.insert([{ record, emailHash: entry.emailHash }]);
      if (record.status === "approved") this.#o.onApproved?.(record, entry.emailHash);
      if (verdict) this.#o.desk.auditComment(this.#at(), "rules", verdict.action, { ...record, status: "pending" }, record, { rule: verdict.rule.id });
    });
    // A pending comment changes nothing readers see; an approved one is published in one pass (never waiting).
    if (record.status === "approved") {
      this.#markDirty(postKeys([record.post]));
      await this.#o.publisher.flush();
    }
    return record.status;
  }

  /** Whether a reader may reply to `parentId` on `post`: it must be an approved comment there. */
  canReplyTo(parentId: string, post: string): boolean {
    return this.#o.ledger.isApprovedOn(parentId, post);
  }

  /** Approves, rejects or marks a comment spam, audited; null when the id is unknown or deleted. */
  /**
   * Approves, rejects or marks a comment spam; null when the id is unknown or deleted. `seenRevision`: the text's
   * revision the moderator read (from the list); if the text changed since, nothing changes and `stale` says so, so
   * no one approves a text they did not see.
   */
  async setStatus(id: string, status: Status, actor: Actor = SYSTEM, action: string = ACTIONS[status], seenRevision?: number): Promise<(ActionOutcome & { stale?: true }) | null> {
    const current = this.#o.ledger.get(id);
    if (current && seenRevision !== undefined && this.#o.ledger.revisionOf(id) !== seenRevision) return { record: current, published: false, stale: true };
    const changed = this.#changeStatus(id, status, actor, action);
    if (!changed) return null;
    const published = await this.#publish(postKeys([changed.post]));
    return { record: changed, published };
  }

  #changeStatus(id: string, status: Status, actor: Actor, action: string): AdminComment | null {
    const { ledger, desk } = this.#o;
    return ledger.transaction(() => {
      const at = this.#at();
      const changed = ledger.setStatus(id, status, at);
      if (changed) desk.auditComment(at, actor, action, changed.before, changed.after);
      if (changed && status === "approved" && changed.before.status !== "approved") this.#o.onApproved?.(changed.after, ledger.emailHashOf(id));
      return changed?.after ?? null;
    });
  }

  #tombstone(id: string, actor: Actor): AdminComment | null {
    const { ledger, desk } = this.#o;
    return ledger.transaction(() => {
      const at = this.#at();
      const record = ledger.tombstone(id, at);
      if (record) {
        desk.forgetText(id);
        desk.auditComment(at, actor, "delete", record, null);
      }
      return record;
    });
  }

  /** Deletes a comment for good: unpublished, its KV record erased, a tombstone left; null when unknown. */
  async remove(id: string, actor: Actor = SYSTEM): Promise<ActionOutcome | null> {
    const record = this.#tombstone(id, actor);
    if (!record) return null;
    const published = await this.#publish([...postKeys([record.post]), `record:${id}`]);
    return { record, published };
  }

  /** One action on up to BULK_MAX_IDS comments: each changed and audited, then published in one pass. */
  async bulk(action: BulkAction, ids: readonly string[], actor: Actor, seenRevisions: Readonly<Record<string, number>> = {}): Promise<{ results: BulkResult[]; posts: string[]; published: boolean }> {
    const results: BulkResult[] = [];
    const posts = new Set<string>();
    const erased: OutboxKey[] = [];
    for (const id of ids) {
      const seen = seenRevisions[id];
      if (action === "approve" && seen !== undefined && this.#o.ledger.revisionOf(id) !== seen) {
        results.push({ id, ok: false, error: STALE_MESSAGE });
        continue;
      }
      const record = action === "delete" ? this.#tombstone(id, actor) : this.#changeStatus(id, BULK_STATUS[action], actor, action);
      if (!record) {
        results.push({ id, ok: false, error: "There is no comment with that id." });
        continue;
      }
      posts.add(record.post);
      if (action === "delete") erased.push(`record:${id}`);
      results.push({ id, ok: true, status: action === "delete" ? "deleted" : record.status });
    }
    const published = posts.size === 0 ? true : await this.#publish([...postKeys(posts), ...erased]);
    return { results, posts: [...posts], published };
  }

  /** Replaces a comment's text, keeping the original in the audit entry (erased if the comment is deleted). */
  async edit(id: string, body: string, actor: Actor): Promise<ActionOutcome | null> {
    const { ledger, desk } = this.#o;
    const changed = ledger.transaction(() => {
      const result = ledger.updateBody(id, body);
      if (result) desk.auditComment(this.#at(), actor, "edit", result.before, result.after, { body: result.before.body });
      return result;
    });
    if (!changed) return null;
    // The comment's KV record follows the new text; readers' thread only when the comment is published.
    const keys: OutboxKey[] = changed.after.status === "approved" ? [...postKeys([changed.after.post]), `record:${id}`] : [`record:${id}`];
    return { record: changed.after, published: await this.#publish(keys) };
  }

  /** The blog's own reply to an approved comment, approved at once; null when the parent is not approved. */
  async reply(parentId: string, reply: Pick<AdminComment, "id" | "author" | "body">, actor: Actor): Promise<ActionOutcome | null> {
    const { ledger, desk } = this.#o;
    const parent = ledger.get(parentId);
    if (!parent || parent.status !== "approved") return null;
    const at = this.#at();
    const record: AdminComment = {
      ...reply, post: parent.post, parentId, email: null, website: null, createdAt: at, status: "approved", moderatedAt: at, byBlog: true,
    };
    ledger.transaction(() => {
      ledger.insert([{ record, emailHash: null }]);
      desk.auditComment(at, actor, "reply", null, record, { parentId });
      this.#o.onApproved?.(record, null);
    });
    return { record, published: await this.#publish(postKeys([record.post])) };
  }

  /** Marks a comment spam and blocks its email (a rule on its hash): one action, one audit entry. */
  async block(id: string, ruleId: string, actor: Actor): Promise<(ActionOutcome & { rule: Rule | null }) | null> {
    const { ledger, desk } = this.#o;
    const done = ledger.transaction(() => {
      const at = this.#at();
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
    return { ...done, published: await this.#publish(postKeys([done.record.post])) };
  }

  /**
   * A one-click link's action, once: refused when the link was used, its moderator revoked or the comment is gone.
   * The check, the change, the audit entry and the link's use are one atomic step.
   */
  async actByLink(link: { linkId: string; action: "approve" | "reject" | "spam"; id: string; moderator: string; seenRevision?: number }): Promise<LinkOutcome> {
    const { ledger, desk } = this.#o;
    const done = ledger.transaction((): { refused: LinkOutcome["refused"]; record: AdminComment | null } => {
      if (desk.linkUsed(link.linkId)) return { refused: "used", record: null };
      if (!desk.activeModerator(link.moderator)) return { refused: "revoked", record: null };
      if (link.action === "approve" && link.seenRevision !== undefined && ledger.revisionOf(link.id) !== link.seenRevision) return { refused: "stale", record: null };
      const record = this.#changeStatus(link.id, BULK_STATUS[link.action], link.moderator, link.action);
      if (!record) return { refused: "gone", record: null };
      desk.markLinkUsed(link.linkId, this.#at());
      return { refused: null, record };
    });
    if (!done.record) return { ...done, published: false };
    return { ...done, published: await this.#publish(postKeys([done.record.post])) };
  }

  /**
   * Imports records (a backup, or comments from another system). Ids already live are skipped; so, always, is an id
   * erased with its author's data (a backup taken before the erasure must not bring it back); and so are ids deleted
   * here (`keptDeleted`: an import never brings back what a moderator deleted) unless `restoreDeleted` asks.
   * All-or-nothing: any unknown post or parent fails the whole batch with every problem named.
   */
  async importEntries(entries: readonly LedgerEntry[], actor: Actor = SYSTEM, options: { restoreDeleted?: boolean } = {}): Promise<ImportOutcome> {
    const { ledger } = this.#o;
    const known = new Set(this.#o.knownPosts());
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
      this.#o.desk.audit({ at: this.#at(), moderator: actor, action: "import", id: null, post: null, from: null, to: null, detail: { imported: batch.size, skipped, keptDeleted, posts: [...touched] } });
      return touched;
    });
    await this.#publish(postKeys(posts));
    return { imported: batch.size, skipped, keptDeleted, fields: null };
  }

  /** Of these ids (from a KV scan), the ones the ledger has never seen, live or deleted. */
  unknownIds(ids: readonly string[]): string[] {
    const known = this.#o.ledger.knownIds(ids);
    return ids.filter((id) => !known.has(id));
  }

  /**
   * Takes in records found in KV that the ledger lacks: comments stored while the ledger was unreachable, or a
   * v1 namespace being migrated (its records' statuses were the truth then). Never overrides the ledger.
   */
  async adopt(entries: readonly LedgerEntry[], options: { autoApproveReturning?: boolean } = {}): Promise<{ added: number; present: number }> {
    let added = 0;
    for (const entry of entries) {
      const before = this.#o.ledger.knownIds([entry.record.id]).size;
      await this.ingest(entry, options);
      if (before === 0) added++;
    }
    return { added, present: entries.length - added };
  }

  /**
   * Re-derives every post's thread (or these posts') and the counts, and waits (bounded) for the writes. `force`
   * writes even a value KV should already hold: the repair for a KV value changed or lost behind the ledger's back.
   */
  async republish({ force = false, posts = this.#o.knownPosts(), audit }: { force?: boolean; posts?: readonly string[]; audit?: { moderator: Actor; action: "rebuild" | "migrate" } } = {}): Promise<{ posts: number; comments: number; published: boolean }> {
    const keys = postKeys(posts);
    if (force) this.#o.ledger.forgetPublished(keys);
    if (audit) this.#o.desk.audit({ at: this.#at(), ...audit, id: null, post: posts.length === 1 ? posts[0]! : null, from: null, to: null });
    const published = await this.#publish(keys);
    const counts = this.#o.ledger.approvedCounts();
    const comments = posts.reduce((sum, post) => sum + (counts.get(post) ?? 0), 0);
    return { posts: posts.length, comments, published };
  }

  /** Everything held about one person (person.ts). */
  exportPerson(person: Person): Omit<PersonExport, "subscriptions"> {
    return exportPerson(this.#o.ledger, this.#o.desk, person);
  }

  /** Erases one person's comments (person.ts), then publishes their threads and deletes their KV records. */
  async erasePerson(person: Person, kvOnly: readonly { id: string; post: string }[], actor: Actor): Promise<ErasureReceipt> {
    const { ledger, desk } = this.#o;
    const { receipt, keys } = ledger.transaction(() => erasePerson(ledger, desk, person, kvOnly, actor, this.#at()));
    return { ...receipt, published: keys.length === 0 ? true : await this.#publish(keys) };
  }

  /** The alarm: whatever the outbox still holds. */
  flush(): Promise<void> {
    return this.#o.publisher.flush();
  }

  get(id: string): AdminComment | null {
    return this.#o.ledger.get(id);
  }


  // "Take it back": the author of a new comment may edit or delete it until its grant's deadline.

  /**
   * Takes in a new submission as `ingest` does and, when the id was new, records its author's edit grant in the same
   * step (before any wait), so the token the worker returns works at once. `editable` is false for a known id.
   */
  async ingestEditable(entry: LedgerEntry, options: { autoApproveReturning?: boolean }, grant: EditGrant): Promise<{ status: Status | "deleted"; editable: boolean }> {
    const editable = this.#o.ledger.knownIds([entry.record.id]).size === 0;
    if (editable) this.#o.ledger.grantEdit(entry.record.id, grant.tokenHash, grant.until, this.#o.now());
    const status = await this.ingest(entry, options);
    return { status, editable };
  }

  /** Why the author may not act on `id` with this token now, or null when they may. */
  #authorRefusal(id: string, tokenHash: string): "forbidden" | "expired" | null {
    const grant = this.#o.ledger.editGrant(id);
    if (!grant || grant.tokenHash !== tokenHash) return "forbidden";
    return this.#o.now() >= grant.until ? "expired" : null;
  }

  /**
   * The author's new text. A pending comment stays pending; an approved one returns to pending (and leaves the
   * published thread) unless `keepApproval`, when the thread is republished with the new text. A rejected comment
   * cannot be edited back into the queue.
   */
  async editByAuthor(id: string, tokenHash: string, body: string, { keepApproval = false } = {}): Promise<AuthorOutcome> {
    const refused = this.#authorRefusal(id, tokenHash);
    if (refused) return refuse(refused);
    const { ledger } = this.#o;
    const current = ledger.get(id);
    if (!current) return refuse("gone");
    // A moderator's refusal (rejected, or spam) stands: the author cannot edit a comment back into the queue.
    if (current.status === "rejected" || current.status === "spam") return refuse("rejected");
    const keep = current.status === "approved" && keepApproval;
    const changed = ledger.transaction(() => {
      const revised = ledger.revise(id, body, keep ? "approved" : "pending", keep ? current.moderatedAt : null);
      if (revised) this.#o.desk.audit({ at: this.#at(), moderator: AUTHOR, action: "author-edit", id, post: current.post, from: current.status, to: revised.after.status });
      return revised;
    });
    if (!changed) return refuse("gone");
    const emailHash = ledger.emailHashOf(id);
    // The comment's KV record follows the new text (the ledger writes it, so a delete racing this edit always wins).
    const keys: OutboxKey[] = current.status === "approved" ? [...postKeys([current.post]), `record:${id}`] : [`record:${id}`];
    const published = await this.#publish(keys);
    return { refused: null, record: changed.after, emailHash, published };
  }

  /** The author withdraws the comment: exactly a moderator's delete (unpublished, KV record erased, tombstone). */
  async removeByAuthor(id: string, tokenHash: string): Promise<AuthorOutcome> {
    const refused = this.#authorRefusal(id, tokenHash);
    if (refused) return refuse(refused);
    const outcome = await this.remove(id, AUTHOR);
    return outcome ? { refused: null, record: outcome.record, emailHash: null, published: outcome.published } : refuse("gone");
  }
}
