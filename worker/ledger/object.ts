// The Durable Object that holds the moderation ledger: one instance (named "ledger") for the whole blog, with
// SQLite storage. A single instance is the point: its requests run one at a time around each synchronous SQLite
// step, so it is the one writer of what readers read and the one order of moderators' actions. A moderation
// service needs far less than the ~1,000 requests a second one object serves. Its methods are called over RPC
// by the worker (`ledgerOf(env)`); they take and return plain data. The one alarm serves two jobs, set for the
// earlier of them: it finishes writes to KV that its one-write-a-second rule or an outage held back, and it asks
// for (and checks) the site rebuild readers' changes owe (publish/deploy-hook.ts).
import { DurableObject } from "cloudflare:workers";
import type { AdminComment } from "../comment.ts";
import { Desk, type Moderator, type Rule } from "../desk/tables.ts";
import type { QueueFilter } from "./ledger.ts";
import { Ledger } from "./ledger.ts";
import type { Actor, LedgerEntry } from "./actions.ts";
import type { EditGrant } from "./author-actions.ts";
import { Moderation } from "./moderation.ts";
import type { Person } from "./person.ts";
import { excerptOf } from "../notify/webhook.ts";
import { listPosts } from "../intake/posts.ts";
import { rebuildConfig, SiteRebuild } from "../publish/deploy-hook.ts";
import { KV_KEY_SPACING_MS, Publisher } from "../publish/publisher.ts";
import type { BulkAction, Status } from "../intake/schema.ts";
import { openAddress, readAddressKeys } from "../mail/address-seal.ts";
import { deliverDue, type PassOutcome, redactAddresses } from "../mail/sender.ts";
import { mailSettings } from "../mail/settings.ts";
import { MailStore } from "../mail/tables.ts";
import { mailerFor } from "../mail/transport.ts";
import { type ModeratorAddress, ModeratorAddresses } from "../mail/moderator-addresses.ts";
import { testMail } from "../mail/templates.ts";
import { manageUrl } from "../mail/manage-link.ts";
import { buildActionUrls } from "../desk/action-links.ts";
import type { TestMailOutcome } from "../desk-shapes.ts";

/** How long a moderator's action waits for KV to accept its writes before answering `published: false`. */
export const ACTION_MAX_WAIT_MS = 3000;
const SCAN_CURSOR = "scan-cursor";
/** Set once the records stored with a plaintext address were scrubbed (docs/mail.md, "Addresses at rest"). */
const ADDRESSES_SCRUBBED = "addresses-scrubbed";

/**
 * KV_WRITE_SPACING_MS: the gap the publisher keeps between two writes of one KV key. Production KV accepts one write a
 * second to a key, the default; a KV that allows more (the local emulator) may be given less, as the worker tests do
 * (vitest.config.ts) to run hundreds of actions on one post quickly.
 */
function kvSpacingMs(env: Env): number {
  const configured = Number(env.KV_WRITE_SPACING_MS);
  return env.KV_WRITE_SPACING_MS !== undefined && Number.isFinite(configured) && configured >= 0 ? configured : KV_KEY_SPACING_MS;
}

const knownPosts = () => listPosts().map((post) => post.slug);

export class ModerationLedger extends DurableObject<Env> {
  readonly #moderation: Moderation;
  readonly #mail: MailStore;
  readonly #moderatorAddresses: ModeratorAddresses;
  readonly #rebuild: SiteRebuild;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const ledger = new Ledger(ctx.storage.sql, (closure) => ctx.storage.transactionSync(closure));
    this.#mail = new MailStore(ctx.storage.sql, (closure) => ctx.storage.transactionSync(closure));
    this.#moderatorAddresses = new ModeratorAddresses(ctx.storage.sql);
    this.#rebuild = new SiteRebuild(ctx.storage.sql, () => ledger.publicationVersion(), rebuildConfig(env));
    const publisher = new Publisher(ledger, {
      kv: env.COMMENTS,
      spacingMs: kvSpacingMs(env),
      knownPosts,
      now: () => Date.now(),
      wakeAt: (at) => this.#wakeAt(at),
    });
    this.#moderation = new Moderation({
      ledger,
      desk: new Desk(ctx.storage.sql, (closure) => ctx.storage.transactionSync(closure)),
      publisher,
      knownPosts,
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      maxWaitMs: ACTION_MAX_WAIT_MS,
      // Not awaited: the alarm's write commits with the outbox change of the same step. Sooner when the change owes
      // the site a rebuild that is due now, so the hook is asked as soon as the action is done.
      armAlarm: (at) => {
        const rebuild = this.#rebuild.nextWake();
        void ctx.storage.setAlarm(rebuild === null ? at : Math.min(at, rebuild));
      },
      // An approved reply to a confirmed subscriber's comment queues its notification in the approval's transaction;
      // the alarm, due now, sends it.
      onApproved: (record, emailHash) => {
        if (this.#mail.queueReplyNotice(record.id, record.parentId, emailHash, Date.now())) void ctx.storage.setAlarm(Date.now());
      },
      // A new comment held for moderation queues a mail to each active moderator who gave an address and kept this
      // mail on, in the intake's transaction; the alarm, due now, sends it.
      onPending: (record) => {
        let queued = false;
        for (const { emailHash } of this.#pendingMailRecipients()) queued = this.#mail.queuePendingNotice(record.id, emailHash, Date.now()) || queued;
        if (queued) void ctx.storage.setAlarm(Date.now());
      },
    });
    this.#scrubStoredAddresses(ledger);
  }

  /** The moderators the pending-comment mail goes to: active, with an address, the mail on. */
  #pendingMailRecipients() {
    return this.#moderatorAddresses.pendingMailRecipients().filter((recipient) => this.#moderation.desk.activeModerator(recipient.name) !== null);
  }

  /** Drops the unsent pending-comment mails to this address when no moderator who wants them has it any more. */
  #dropUnwantedPendingMail(emailHash: string | undefined): void {
    if (emailHash === undefined || this.#pendingMailRecipients().some((recipient) => recipient.emailHash === emailHash)) return;
    this.#mail.dropUnsentOfKind(emailHash, "pending", "the moderator no longer gets this mail", Date.now());
  }

  /**
   * Once per ledger: records stored before addresses were dropped from them lose theirs, and their KV copies are
   * queued for rewriting by the publisher's outbox (which writes the record as the ledger has it).
   */
  #scrubStoredAddresses(ledger: Ledger): void {
    if (ledger.setting(ADDRESSES_SCRUBBED) !== null) return;
    ledger.transaction(() => {
      const ids = ledger.dropStoredAddresses();
      ledger.markDirty(ids.map((id) => `record:${id}` as const), Date.now());
      ledger.setSetting(ADDRESSES_SCRUBBED, new Date().toISOString());
      if (ids.length > 0) void this.ctx.storage.setAlarm(Date.now());
    });
  }

  // Internal: the alarm and its wake-ups.
  /**
   * Sets the alarm for `at` unless it is already set sooner (the publisher and the rebuild share it). An alarm time
   * already past is the one running now (or about to): it does not stand for the next turn.
   */
  async #wakeAt(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || at < current || current <= Date.now()) await this.ctx.storage.setAlarm(at);
  }

  /**
   * The three jobs (KV writes, the site rebuild, mail), each setting the alarm again for its own next turn: every change to readers' view also arms the alarm
   * (the outbox's backstop), so the rebuild it owes is asked for within seconds.
   */
  async alarm(): Promise<void> {
    await this.#moderation.flush();
    const next = await this.#rebuild.work();
    if (next !== null) await this.#wakeAt(next);
    await this.deliverMail().catch((error: unknown) => console.error("mail pass failed", error instanceof Error ? error.message : "unknown error"));
    await this.#wakeForMail();
  }

  async #wakeForMail(): Promise<void> {
    const due = this.#mail.nextDue();
    if (due !== null) await this.#wakeAt(due);
  }

  /** Sends the mails due now (the alarm's pass; nothing when mail is off). */
  async deliverMail(): Promise<PassOutcome | null> {
    const settings = mailSettings(this.env);
    const keys = await readAddressKeys(this.env.MAIL_KEYS);
    if (!settings || !keys) return null;
    const ledger = this.#moderation.ledger;
    return deliverDue({
      store: this.#mail, comment: (id) => ledger.get(id), mailer: mailerFor(this.env), keys, settings, now: () => Date.now(),
      moderatorAt: (emailHash) => {
        const recipient = this.#pendingMailRecipients().find((r) => r.emailHash === emailHash);
        const address = recipient ? this.#moderatorAddresses.get(recipient.name) : null;
        return recipient && address ? { name: recipient.name, sealed: address.sealed } : null;
      },
      // The links open /admin/act on the comment service, made out to the moderator the mail goes to.
      actionUrls: (commentId, moderator) => buildActionUrls(this.env, settings.links.serviceUrl, commentId, Date.now(), moderator),
    });
  }

  // The public intake (routes/comments.ts): a new comment, and whether a reply's parent may take one.
  ingest(entry: LedgerEntry, options: { autoApproveReturning?: boolean }) {
    return this.#moderation.ingest(entry, options);
  }

  ingestEditable(entry: LedgerEntry, options: { autoApproveReturning?: boolean }, grant: EditGrant) {
    return this.#moderation.ingestEditable(entry, options, grant);
  }

  canReplyTo(parentId: string, post: string) {
    return this.#moderation.canReplyTo(parentId, post);
  }

  // The author, with their edit token (routes/author.ts).
  editByAuthor(id: string, tokenHash: string, body: string, options: { keepApproval?: boolean }) {
    return this.#moderation.editByAuthor(id, tokenHash, body, options);
  }

  removeByAuthor(id: string, tokenHash: string) {
    return this.#moderation.removeByAuthor(id, tokenHash);
  }

  // Moderators (routes/admin.ts, the CLI and /admin through it): the actions, the list and export, import, rebuild.
  getComment(id: string) {
    return this.#moderation.get(id);
  }

  setStatus(id: string, status: Status, actor?: Actor, seenRevision?: number) {
    return this.#moderation.setStatus(id, status, actor, undefined, seenRevision);
  }

  remove(id: string, actor?: Actor) {
    return this.#moderation.remove(id, actor);
  }

  bulkAction(action: BulkAction, ids: string[], actor: Actor, seenRevisions?: Record<string, number>) {
    return this.#moderation.bulk(action, ids, actor, seenRevisions);
  }

  editComment(id: string, body: string, actor: Actor) {
    return this.#moderation.edit(id, body, actor);
  }

  replyTo(parentId: string, reply: { id: string; author: string; body: string }, actor: Actor) {
    return this.#moderation.reply(parentId, reply, actor);
  }

  blockCommenter(id: string, ruleId: string, actor: Actor) {
    return this.#moderation.block(id, ruleId, actor);
  }

  /**
   * One page of the moderator's list (`limit` + 1 read to know whether more follow; null: the whole list), each
   * comment with the one it replies to, and the counts per status.
   */
  listPage(filter: Omit<QueueFilter, "limit"> & { limit: number | null }) {
    const ledger = this.#moderation.ledger;
    const { limit } = filter;
    const rows = ledger.queue({ ...filter, limit: limit === null ? undefined : limit + 1 });
    const page = limit === null ? rows : rows.slice(0, limit);
    const last = page.at(-1);
    const parents = ledger.summaries(page.flatMap((c) => (c.parentId === null ? [] : [c.parentId])), excerptOf);
    return {
      comments: page.map((c) => ({ ...c, parent: c.parentId === null ? null : (parents.get(c.parentId) ?? null), revision: ledger.revisionOf(c.id) })),
      counts: ledger.statusCounts(),
      next: limit !== null && rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
    };
  }

  exportPage(after: { createdAt: string; id: string } | null, limit: number) {
    return this.#moderation.ledger.exportPage(after, limit);
  }

  importEntries(entries: LedgerEntry[], actor?: Actor, options?: { restoreDeleted?: boolean }) {
    return this.#moderation.importEntries(entries, actor, options);
  }

  republish(options: { force?: boolean; posts?: string[]; audit?: { moderator: Actor; action: "rebuild" | "migrate" } }) {
    return this.#moderation.republish(options);
  }

  // The desk (routes/desk.ts, auth): moderators and their tokens, the arrival rules, the audit log.
  /** The active moderator whose token has this SHA-256 hash (null: unknown or revoked). Strongly consistent. */
  moderatorByTokenHash(tokenHash: string) {
    return this.#moderation.desk.moderatorByTokenHash(tokenHash);
  }

  activeModerator(name: string) {
    return this.#moderation.desk.activeModerator(name);
  }

  listModerators() {
    return this.#moderation.desk.moderators();
  }

  addModerator(moderator: Moderator, tokenHash: string, actor: Actor) {
    return this.#moderation.desk.addModerator(moderator, tokenHash, actor, new Date().toISOString());
  }

  /**
   * Revokes a moderator's token and forgets the address they gave for mail and their mail choice, dropping the mail
   * still queued for them: a revoked moderator is mailed nothing.
   */
  revokeModerator(name: string, actor: Actor) {
    const revoked = this.#moderation.desk.revokeModerator(name, actor, new Date().toISOString());
    if (revoked) {
      const emailHash = this.#moderatorAddresses.get(name)?.emailHash;
      this.#moderatorAddresses.forget(name);
      this.#dropUnwantedPendingMail(emailHash);
    }
    return revoked;
  }

  listRules() {
    return this.#moderation.desk.rules();
  }

  addRule(rule: Rule) {
    this.#moderation.desk.addRule(rule);
  }

  removeRule(id: string, actor: Actor) {
    return this.#moderation.desk.removeRule(id, actor, new Date().toISOString());
  }

  auditPage(limit: number, before: number | null) {
    return this.#moderation.desk.auditPage(limit, before);
  }

  // Signed one-click links (routes/act.ts).
  actByLink(link: { linkId: string; action: "approve" | "reject" | "spam"; id: string; moderator: string; seenRevision?: number }) {
    return this.#moderation.actByLink(link);
  }

  /** How many times a comment's text changed after it arrived (the confirmation page names it). */
  commentRevision(id: string) {
    return this.#moderation.ledger.revisionOf(id);
  }

  linkUsed(linkId: string) {
    return this.#moderation.desk.linkUsed(linkId);
  }

  // One person's data (routes/person.ts): a subject access request and an erasure.
  /** Everything held about one person (an owner's subject access request). */
  exportPerson(person: Person) {
    return { ...this.#moderation.exportPerson(person), subscriptions: this.#mail.describe(person.emailHash) };
  }

  /** Erases one person's comments; `kvOnly` are their records KV holds that the ledger never saw. */
  async erasePerson(person: Person, kvOnly: { id: string; post: string }[], actor: Actor) {
    // The subscription first: from here on no mail can go to the address, whatever the rest of the erasure meets.
    this.#mail.forgetAddress(person.emailHash);
    return this.#moderation.erasePerson(person, kvOnly, actor);
  }

  // The commenter, through the signed link in their mail (routes/manage.ts): the page lists exportPerson's comments
  // and erases with erasePerson, both by the hash alone; one comment's delete is here.
  /** Deletes comment `id` when it was written with the address of this hash (null: not theirs, or already gone). */
  removeByOwner(id: string, emailHash: string) {
    return this.#moderation.removeByOwner(id, emailHash);
  }

  // Mail (routes/mail.ts, routes/admin-mail.ts, worker/mail/): reply subscriptions and the delivery log, kept in this
  // object's SQLite beside the comments.
  /**
   * The author of comment `commentId` asked to be mailed about replies: a new address is sent a confirmation (at
   * most one a day) by the alarm. `sealedAddress` is the address sealed by the worker (mail/address-seal.ts).
   */
  async watchReplies(commentId: string, emailHash: string, sealedAddress: string): Promise<void> {
    if (this.#mail.watch(commentId, emailHash, sealedAddress, Date.now())) await this.#wakeForMail();
  }

  isPendingConfirmation(token: string): boolean {
    return this.#mail.isPendingConfirmation(token);
  }

  confirmSubscription(token: string): boolean {
    return this.#mail.confirm(token, Date.now());
  }

  isSubscribed(token: string): boolean {
    return this.#mail.isSubscribed(token);
  }

  unsubscribe(token: string): boolean {
    return this.#mail.unsubscribe(token, Date.now());
  }

  /** The delivery log /admin shows, newest first. */
  mailLog(limit: number) {
    return this.#mail.deliveryLog(limit);
  }

  // The site build and rebuild (GET /api/comments/all, /admin's site status).
  /**
   * Every approved comment with the publication version they make up, read in one synchronous step: the site build's
   * source (`GET /api/comments/all`), so the version it reports is exactly the version of the threads it returns.
   */
  publishedComments(): { version: number; comments: AdminComment[] } {
    const ledger = this.#moderation.ledger;
    return { version: ledger.publicationVersion(), comments: ledger.approvedAll() };
  }

  /** The publication version and how far the live site is behind it. */
  siteStatus() {
    return this.#rebuild.status();
  }

  // The crons (publish/reconcile.ts): the outbox's safety net, the walk through KV, adopting what KV holds that
  // the ledger lacks.
  /** Works whatever the outbox still holds (the hourly reconcile's safety net, beside the alarm). */
  flushOutbox(): Promise<void> {
    return this.#moderation.flush();
  }

  /** Where the hourly reconcile's walk through the KV records stopped (null: start again from the beginning). */
  scanCursor(): string | null {
    return this.#moderation.ledger.setting(SCAN_CURSOR);
  }

  setScanCursor(cursor: string | null): void {
    this.#moderation.ledger.setSetting(SCAN_CURSOR, cursor);
  }

  unknownIds(ids: string[]) {
    return this.#moderation.unknownIds(ids);
  }

  adopt(entries: LedgerEntry[], options: { autoApproveReturning?: boolean }) {
    return this.#moderation.adopt(entries, options);
  }

  // Moderators' own addresses (worker/mail/moderator-addresses.ts) and the test email from /admin.

  /** Keeps a moderator's sealed address (the worker seals it and hashes it), or forgets it (null). */
  setModeratorAddress(name: string, address: ModeratorAddress | null): void {
    const before = this.#moderatorAddresses.get(name)?.emailHash;
    this.#moderatorAddresses.set(name, address, Date.now());
    if (before !== address?.emailHash) this.#dropUnwantedPendingMail(before);
  }

  /** Whether the moderator gave an address. */
  hasModeratorAddress(name: string): boolean {
    return this.#moderatorAddresses.get(name) !== null;
  }

  /** What /admin's Mail panel shows a moderator: whether they gave an address, and whether the pending-comment mail is on. */
  moderatorMail(name: string): { address: boolean; pendingMail: boolean } {
    return { address: this.#moderatorAddresses.get(name) !== null, pendingMail: this.#moderatorAddresses.pendingMailOn(name) };
  }

  /**
   * Turns a moderator's mail about comments held for moderation on or off (off drops what is still queued for them);
   * answers what the Mail panel then shows.
   */
  setModeratorPendingMail(name: string, on: boolean): { address: boolean; pendingMail: boolean } {
    this.#moderatorAddresses.setPendingMail(name, on, Date.now());
    if (!on) this.#dropUnwantedPendingMail(this.#moderatorAddresses.get(name)?.emailHash);
    return this.moderatorMail(name);
  }

  /**
   * Sends the test email to the moderator's own address at once and writes it to the delivery log: "no-address"
   * when they gave none, "mail-off" when mail is not configured, else the provider's message id or its error.
   */
  async sendTestMail(name: string): Promise<TestMailOutcome> {
    const address = this.#moderatorAddresses.get(name);
    if (!address) return { result: "no-address" };
    const settings = mailSettings(this.env);
    const keys = await readAddressKeys(this.env.MAIL_KEYS);
    if (!settings || !keys) return { result: "mail-off" };
    try {
      const to = await openAddress(address.sealed, keys);
      const manage = await manageUrl(settings.links, address.emailHash, settings.manageSecret, Date.now());
      const { messageId } = await mailerFor(this.env).send(testMail(to, settings.from, name, manage));
      this.#mail.logTest(address.emailHash, { messageId }, Date.now());
      return { result: "sent", messageId };
    } catch (error) {
      const message = redactAddresses(error instanceof Error ? error.message : String(error));
      this.#mail.logTest(address.emailHash, { error: message }, Date.now());
      return { result: "failed", error: message };
    }
  }
}
