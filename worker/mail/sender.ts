// The mail outbox's sender, run by the ledger's Durable Object alarm. Each pass claims the mails due, groups a
// recipient's reply notifications into one message (and a moderator's pending-comment mails into another), checks at
// send time that each reply is still approved and the subscription still active (that each comment is still pending
// and the moderator still wants the mail), keeps to the per-recipient gap and the daily limit, and records the
// outcome: sent (with the provider's message id), retrying with backoff, or failed after MAIL_MAX_ATTEMPTS. A failure
// never touches the comments. The address is opened only here, for the send, and never logged. Each message's
// "manage my comments" link is signed here, at send time, for the recipient's hash, so it is fresh whenever the mail
// waited.
import type { AdminComment } from "../comment.ts";
import { findPost } from "../intake/posts.ts";
import { type AddressKeys, openAddress } from "./address-seal.ts";
import type { Mailer } from "./transport.ts";
import { MAIL_MAX_ATTEMPTS, type MailSettings } from "./settings.ts";
import type { MailStore, OutboxMail } from "./tables.ts";
import { type ApprovedReply, confirmationMail, replyMail } from "./templates.ts";
import type { MailMessage } from "./message.ts";
import { manageUrl } from "./manage-link.ts";
import type { ActionUrls } from "../desk/action-links.ts";
import { type PendingComment, pendingComment, pendingCommentsMail } from "./moderator-mail.ts";

/** How many mails one pass claims (the alarm runs again at once when more are due). */
export const MAIL_BATCH = 25;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SenderDeps {
  store: MailStore;
  /** The live comment with this id (the ledger's record), to check a reply is still approved. */
  comment: (id: string) => AdminComment | null;
  mailer: Mailer;
  keys: AddressKeys;
  settings: MailSettings;
  now: () => number;
  /** The moderator this address's pending-comment mail is for (active, mail on), with their sealed address, or null. */
  moderatorAt: (emailHash: string) => { name: string; sealed: string } | null;
  /** The signed one-click links for a comment, made out to this moderator (null without LINK_SECRET). */
  actionUrls: (commentId: string, moderator: string) => Promise<ActionUrls | null>;
}

/** What one pass did, for tests and logs (counts only: no address, no text). */
export interface PassOutcome {
  sent: number;
  failed: number;
  postponed: number;
  dropped: number;
}

/** The delay before retry `attempt` (1-based): base, 4 × base, 16 × base... */
export function retryDelay(attempt: number, baseMs: number): number {
  return baseMs * 4 ** (attempt - 1);
}

/** A reply a notification may quote: still approved, on a post the site has. */
function approvedReply(record: AdminComment | null): ApprovedReply | null {
  if (!record || record.status !== "approved") return null;
  const post = findPost(record.post);
  return post ? { id: record.id, author: record.author, body: record.body, postTitle: post.title, postUrl: post.url } : null;
}

/** One pass over the mails due now. */
export async function deliverDue(deps: SenderDeps): Promise<PassOutcome> {
  const { store, settings, now } = deps;
  const outcome: PassOutcome = { sent: 0, failed: 0, postponed: 0, dropped: 0 };
  const claimed = store.claimDue(now(), MAIL_BATCH);
  // One message per confirmation; one per recipient for all their reply notifications due now, and one per moderator
  // for all the comments held for them.
  const groups = new Map<string, OutboxMail[]>();
  for (const mail of claimed) {
    const key = mail.kind === "reply" || mail.kind === "pending" ? `${mail.kind}:${mail.emailHash}` : mail.id;
    groups.set(key, [...(groups.get(key) ?? []), mail]);
  }
  for (const mails of groups.values()) {
    const ids = mails.map((m) => m.id);
    const at = now();
    const dayStart = Math.floor(at / DAY_MS) * DAY_MS;
    if (store.sentSince(dayStart) >= settings.dailyLimit) {
      store.postpone(ids, dayStart + DAY_MS, at);
      outcome.postponed += ids.length;
      continue;
    }
    let built: Built;
    try {
      built = await buildMessage(deps, mails, at);
    } catch (error) {
      fail(deps, mails, error);
      outcome.failed += ids.length;
      continue;
    }
    if ("drop" in built) {
      store.drop(ids, built.drop, at);
      outcome.dropped += ids.length;
      continue;
    }
    if ("waitUntil" in built) {
      store.postpone(ids, built.waitUntil, at);
      outcome.postponed += ids.length;
      continue;
    }
    store.drop(built.dropped.map((m) => m.id), built.mails[0]!.kind === "pending" ? "the comment is no longer pending" : "the reply is no longer approved", at);
    outcome.dropped += built.dropped.length;
    const sending = built.mails.map((m) => m.id);
    try {
      const { messageId } = await deps.mailer.send(built.message);
      store.markSent(sending, messageId, now());
      outcome.sent += sending.length;
    } catch (error) {
      fail(deps, built.mails, error);
      outcome.failed += sending.length;
    }
  }
  return outcome;
}

/** A send (or the opening of the address) failed: retried with backoff, or failed for good after the last try. */
function fail({ store, settings, now }: SenderDeps, mails: readonly OutboxMail[], error: unknown): void {
  const attempts = Math.max(...mails.map((m) => m.attempts)) + 1;
  const retryAt = attempts >= MAIL_MAX_ATTEMPTS ? null : now() + retryDelay(attempts, settings.retryBaseMs);
  store.markFailed(mails.map((m) => m.id), redactAddresses(error instanceof Error ? error.message : String(error)), retryAt, now());
}

/** A provider's error may quote the recipient ("email to x@y not allowed"): the log keeps it without the address. */
export function redactAddresses(text: string): string {
  return text.replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, "[address]");
}

type Built =
  | { message: MailMessage; mails: OutboxMail[]; dropped: OutboxMail[] }
  | { drop: string }
  | { waitUntil: number };

/** The message for a group of mails to one recipient, or why it is not sent now. */
async function buildMessage(deps: SenderDeps, mails: OutboxMail[], at: number): Promise<Built> {
  const { store, settings } = deps;
  const first = mails[0]!;
  if (first.kind === "pending") return buildPendingMessage(deps, mails, at);
  const subscriber = store.subscriber(first.emailHash);
  if (!subscriber?.address) return { drop: "the address unsubscribed" };
  if (first.kind === "confirm") {
    if (subscriber.state !== "pending" || !subscriber.confirmToken) return { drop: "the address is no longer waiting for confirmation" };
    const to = await openAddress(subscriber.address, deps.keys);
    const manage = await manageUrl(settings.links, first.emailHash, settings.manageSecret, at);
    return { message: confirmationMail(to, settings.from, settings.links, subscriber.confirmToken, manage), mails, dropped: [] };
  }
  if (subscriber.state !== "confirmed") return { drop: "the subscription is not active" };
  const last = store.lastNoticeTo(first.emailHash);
  if (last !== null && at - last < settings.recipientGapMs) return { waitUntil: last + settings.recipientGapMs };
  const replies: ApprovedReply[] = [];
  const kept: OutboxMail[] = [];
  const dropped: OutboxMail[] = [];
  for (const mail of mails) {
    const reply = approvedReply(mail.commentId === null ? null : deps.comment(mail.commentId));
    if (reply) (replies.push(reply), kept.push(mail));
    else dropped.push(mail);
  }
  if (kept.length === 0) return { drop: "the reply is no longer approved" };
  const to = await openAddress(subscriber.address, deps.keys);
  const manage = await manageUrl(settings.links, first.emailHash, settings.manageSecret, at);
  return { message: replyMail(to, settings.from, settings.links, subscriber.unsubscribeToken, replies, manage), mails: kept, dropped };
}

/** A moderator's message about the comments held for them, leaving out those moderated since they were queued. */
async function buildPendingMessage(deps: SenderDeps, mails: OutboxMail[], at: number): Promise<Built> {
  const { store, settings } = deps;
  const first = mails[0]!;
  const moderator = deps.moderatorAt(first.emailHash);
  if (!moderator) return { drop: "no active moderator wants this mail at this address" };
  const last = store.lastNoticeTo(first.emailHash, "pending");
  if (last !== null && at - last < settings.recipientGapMs) return { waitUntil: last + settings.recipientGapMs };
  const comments: PendingComment[] = [];
  const kept: OutboxMail[] = [];
  const dropped: OutboxMail[] = [];
  for (const mail of mails) {
    const record = mail.commentId === null ? null : deps.comment(mail.commentId);
    const listed = record?.status === "pending" ? pendingComment(record, await deps.actionUrls(record.id, moderator.name)) : null;
    if (listed) (comments.push(listed), kept.push(mail));
    else dropped.push(mail);
  }
  if (kept.length === 0) return { drop: "the comment is no longer pending" };
  const to = await openAddress(moderator.sealed, deps.keys);
  const manage = await manageUrl(settings.links, first.emailHash, settings.manageSecret, at);
  return { message: pendingCommentsMail(to, settings.from, settings.links, moderator.name, comments, manage), mails: kept, dropped };
}
