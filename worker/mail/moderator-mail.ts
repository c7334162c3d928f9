// The mail that tells a moderator about comments held for moderation (as WordPress's "Email me whenever a comment is
// held for moderation"): one message listing every pending comment queued for them since their last one, each with
// its post, author, a quote of its text and the signed one-click Approve / Reject / Spam links made out to that
// moderator (worker/desk/action-links.ts), plus a link to /admin. It quotes text no moderator has approved yet, so it
// goes only to moderators, never to readers, and says how to turn it off. Kept apart from templates.ts (readers'
// mail), which the sender (sender.ts) also uses.
import type { AdminComment } from "../comment.ts";
import type { ActionUrls } from "../desk/action-links.ts";
import { escapeHtml } from "../http/form-page.ts";
import { findPost } from "../intake/posts.ts";
import type { MailMessage } from "./message.ts";
import { html, type MailLinks, manageFooter, quote, SITE_NAME } from "./templates.ts";

/** A comment as the moderator's mail lists it: still pending, on a known post, with its one-click links if any. */
export interface PendingComment {
  id: string;
  author: string;
  body: string;
  postTitle: string;
  /** Null without LINK_SECRET: the mail then leads to /admin only. */
  actions: ActionUrls | null;
}

/** What the mail may list about a comment: only one still pending, on a post the site has (else null). */
export function pendingComment(record: AdminComment | null, actions: ActionUrls | null): PendingComment | null {
  if (!record || record.status !== "pending") return null;
  const post = findPost(record.post);
  return post ? { id: record.id, author: record.author, body: record.body, postTitle: post.title, actions } : null;
}

export const adminUrl = (links: MailLinks) => `${links.serviceUrl}/admin`;

/** The line every such mail carries, saying how to stop it. */
export function turnOffLine(links: MailLinks, moderator: string): string {
  return `You get this email because you moderate comments on the ${SITE_NAME} and gave your address. To turn these emails off, `
    + `untick "Email me when a comment is held for moderation" under Mail on the moderation page (${adminUrl(links)}), `
    + `or ask an owner to run: npm run moderate -- moderators mail ${moderator} off`;
}

/** One message to moderator `moderator` about one or more comments held for moderation. */
export function pendingCommentsMail(to: string, from: string, links: MailLinks, moderator: string, comments: readonly PendingComment[], manageUrl: string | null): MailMessage {
  const manage = manageFooter(manageUrl);
  const first = comments[0]!;
  const subject = comments.length === 1
    ? `New comment awaiting moderation on "${first.postTitle}"`
    : `${comments.length} new comments awaiting moderation on the ${SITE_NAME}`;
  const admin = adminUrl(links);
  const texts = comments.map((comment) => {
    const quoted = quote(comment.body).split("\n").map((line) => `> ${line}`).join("\n");
    const actions = comment.actions
      ? `Approve: ${comment.actions.approveUrl}\nReject: ${comment.actions.rejectUrl}\nSpam: ${comment.actions.spamUrl}`
      : `Moderate it: ${admin}`;
    return `${comment.author} commented on "${comment.postTitle}":\n\n${quoted}\n\n${actions}`;
  });
  const htmls = comments.map((comment) => {
    const actions = comment.actions
      ? [["Approve", comment.actions.approveUrl], ["Reject", comment.actions.rejectUrl], ["Spam", comment.actions.spamUrl]]
        .map(([label, url]) => `<a href="${escapeHtml(url!)}">${label}</a>`).join(" · ")
      : `<a href="${escapeHtml(admin)}">Moderate it</a>`;
    return `<p>${escapeHtml(comment.author)} commented on “${escapeHtml(comment.postTitle)}”:</p>`
      + `<blockquote style="white-space:pre-wrap;border-left:3px solid #ccc;margin:0;padding-left:1em">${escapeHtml(quote(comment.body))}</blockquote>`
      + `<p>${actions}</p>`;
  });
  const all = "All comments waiting for moderation:";
  const footer = turnOffLine(links, moderator);
  return {
    to,
    from,
    subject,
    text: `${texts.join("\n\n---\n\n")}\n\n${all} ${admin}\n\n--\n${footer}\n${manage.text}`,
    html: html([
      ...htmls,
      `<p>${escapeHtml(all)} <a href="${escapeHtml(admin)}">${escapeHtml(admin)}</a></p>`,
      `<hr><p style="font-size:small">${escapeHtml(footer)}</p>`,
      manage.html,
    ]),
    headers: { "Auto-Submitted": "auto-generated" },
  };
}
