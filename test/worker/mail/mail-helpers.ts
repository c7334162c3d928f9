// Helpers for the mail tests: the recorded messages (MAIL_TRANSPORT = "record", vitest.config.ts), the ledger's mail
// pass run on demand (the alarm runs the same pass), and the links a message carries.
import { env } from "cloudflare:workers";
import { ledgerOf } from "../../../worker/http/context.ts";
import type { MailMessage } from "../../../worker/mail/message.ts";
import { recordingMailer } from "../../../worker/mail/recording.ts";
import { admin, BASE, call, createApproved, createPending, type Comment } from "../helpers.ts";

export { recordingMailer };

/** A fresh address for one test: storage is shared by the tests of a file. */
export function newAddress(label: string): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.org`;
}

/** Runs the ledger's mail pass now, as its alarm does. */
export function deliver() {
  return ledgerOf(env).deliverMail();
}

/** Every message recorded to this address. */
export function mailTo(address: string): MailMessage[] {
  return recordingMailer.sent.filter((message) => message.to === address);
}

/** The path of the first link of this kind in a message's text part (`/mail/confirm/...`, `/mail/unsubscribe/...`). */
export function linkIn(message: MailMessage, kind: "confirm" | "unsubscribe"): string {
  const match = new RegExp(`https?://[^\\s]+(/mail/${kind}/[A-Za-z0-9_-]+)`).exec(message.text);
  if (!match) throw new Error(`no ${kind} link in "${message.subject}"`);
  return match[1]!;
}

/** Opens a link from a mail as a browser would (GET), or presses its page's button (POST). */
export function openLink(path: string, method: "GET" | "POST" = "GET", init: RequestInit = {}): Promise<Response> {
  return call(path, { method, redirect: "manual", ...init }, {}, BASE);
}

/** An approved comment whose author subscribed and confirmed from the confirmation mail; returns its id. */
export async function confirmedSubscriberComment(address: string, overrides: Partial<Comment> = {}): Promise<string> {
  const id = await createApproved({ email: address, subscribe: true, ...overrides });
  await deliver();
  const confirmation = mailTo(address).find((m) => m.subject.startsWith("Confirm"));
  if (!confirmation) throw new Error("no confirmation mail");
  const confirmed = await openLink(linkIn(confirmation, "confirm"), "POST");
  if (confirmed.status !== 200) throw new Error(`confirm failed: ${confirmed.status}`);
  return id;
}

/** A reader's reply to `parentId`, still pending; returns its id. */
export function pendingReply(parentId: string, body: string, email = newAddress("replier")): Promise<string> {
  return createPending({ parentId, body, email, author: "Reply Writer" });
}

export async function approve(id: string): Promise<void> {
  const response = await admin(`/comments/${id}/approve`, { method: "POST" });
  if (response.status !== 200) throw new Error(`approve failed: ${response.status}`);
}

export async function setStatus(id: string, action: "reject" | "approve"): Promise<void> {
  const response = await admin(`/comments/${id}/${action}`, { method: "POST" });
  if (response.status !== 200) throw new Error(`${action} failed: ${response.status}`);
}
