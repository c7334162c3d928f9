// What each mail says. Two mails go to readers: the confirmation of a subscription, which holds no text a reader
// wrote (a stranger's address may have been typed in, so the mail must be harmless and ask nothing but a click), and
// the reply notification, which quotes only replies a moderator approved (checked again at send time, sender.ts).
// Every notification carries RFC 8058's one-click unsubscribe headers and a visible unsubscribe link. Every mail ends
// with `manageFooter`: the recipient's signed link to the page listing their comments (mail/manage-link.ts).
import { escapeHtml } from "../http/form-page.ts";
import type { MailMessage } from "./message.ts";

export const SITE_NAME = "NHS Leadership Academy blog";
/** The most of a reply's text a notification quotes; the link leads to the whole of it. */
export const QUOTE_MAX = 1000;

/** Where a mail's links point: the comment service (the link pages) and the site (the posts). */
export interface MailLinks {
  serviceUrl: string;
  siteUrl: string;
}

/** A reply as a notification quotes it: approved, on a known post. */
export interface ApprovedReply {
  id: string;
  author: string;
  body: string;
  postTitle: string;
  postUrl: string;
}

const confirmUrl = (links: MailLinks, token: string) => `${links.serviceUrl}/mail/confirm/${token}`;
export const unsubscribeUrl = (links: MailLinks, token: string) => `${links.serviceUrl}/mail/unsubscribe/${token}`;

/** The List-Id (RFC 2919) of reply notifications: one list per site. */
export function listId(links: MailLinks): string {
  return `Replies to your comments <replies.${new URL(links.siteUrl).hostname}>`;
}

export function html(paragraphs: string[]): string {
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"></head><body style="font-family:sans-serif;line-height:1.5">\n${paragraphs.join("\n")}\n</body></html>\n`;
}

/**
 * The footer every mail ends with: the link to the recipient's "manage my comments" page (made at send time for
 * their address's hash, mail/manage-link.ts), or nothing when there is no link (no MANAGE_SECRET).
 */
export function manageFooter(manageUrl: string | null): { text: string; html: string } {
  if (manageUrl === null) return { text: "", html: "" };
  const line = "See, download or delete the comments you wrote with this address:";
  return {
    text: `\n${line}\n${manageUrl}\n`,
    html: `<p style="font-size:small">${escapeHtml(line)} <a href="${escapeHtml(manageUrl)}">Manage my comments</a></p>`,
  };
}

/** A text as a mail quotes it: at most QUOTE_MAX characters, an ellipsis saying more follows. */
export const quote = (text: string) => (text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX).trimEnd()}…` : text);

/** The confirmation of a new subscription: a link to a page whose button confirms. No reader-written text. */
export function confirmationMail(to: string, from: string, links: MailLinks, confirmToken: string, manageUrl: string | null): MailMessage {
  const url = confirmUrl(links, confirmToken);
  const footer = manageFooter(manageUrl);
  const intro = `Someone left a comment on the ${SITE_NAME} and asked to be emailed at this address when someone replies.`;
  const ask = "To start these emails, open this link and press Confirm:";
  const ignore = "If that was not you, ignore this message: nothing is sent to this address unless it is confirmed.";
  return {
    to,
    from,
    subject: `Confirm reply emails from the ${SITE_NAME}`,
    text: `${intro}\n\n${ask}\n${url}\n\n${ignore}\n${footer.text}`,
    html: html([`<p>${escapeHtml(intro)}</p>`, `<p>${escapeHtml(ask)}<br><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`, `<p>${escapeHtml(ignore)}</p>`, footer.html]),
    headers: { "Auto-Submitted": "auto-generated" },
  };
}

/** One message about one or more approved replies to the recipient's comments (merged when close together). */
export function replyMail(to: string, from: string, links: MailLinks, unsubscribeToken: string, replies: readonly ApprovedReply[], manageUrl: string | null): MailMessage {
  const unsubscribe = unsubscribeUrl(links, unsubscribeToken);
  const manage = manageFooter(manageUrl);
  const first = replies[0]!;
  const subject = replies.length === 1
    ? `${first.author} replied to your comment on "${first.postTitle}"`
    : `${replies.length} new replies to your comments on the ${SITE_NAME}`;
  const permalink = (reply: ApprovedReply) => `${links.siteUrl}${reply.postUrl}#comment-${reply.id}`;
  const texts = replies.map((reply) => {
    const quoted = quote(reply.body).split("\n").map((line) => `> ${line}`).join("\n");
    return `${reply.author} replied to your comment on "${reply.postTitle}":\n\n${quoted}\n\nRead it on the blog: ${permalink(reply)}`;
  });
  const footer = `You get this email because you asked to hear about replies to your comments on the ${SITE_NAME}.`;
  const htmls = replies.map((reply) =>
    `<p>${escapeHtml(reply.author)} replied to your comment on “${escapeHtml(reply.postTitle)}”:</p>`
    + `<blockquote style="white-space:pre-wrap;border-left:3px solid #ccc;margin:0;padding-left:1em">${escapeHtml(quote(reply.body))}</blockquote>`
    + `<p><a href="${escapeHtml(permalink(reply))}">Read it on the blog</a></p>`);
  return {
    to,
    from,
    subject,
    text: `${texts.join("\n\n---\n\n")}\n\n--\n${footer}\nUnsubscribe: ${unsubscribe}\n${manage.text}`,
    html: html([...htmls, `<hr><p style="font-size:small">${escapeHtml(footer)} <a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></p>`, manage.html]),
    headers: {
      "List-Unsubscribe": `<${unsubscribe}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "List-Id": listId(links),
      "Auto-Submitted": "auto-generated",
    },
  };
}

/** The test email a moderator sends themself from /admin: it proves the sending domain and the transport work. */
export function testMail(to: string, from: string, moderator: string, manageUrl: string | null): MailMessage {
  const footer = manageFooter(manageUrl);
  const text = [
    `This is a test email from the comment moderation page of the ${SITE_NAME}, sent by ${moderator}.`,
    "If it reached your inbox, mail from the comment service is working.",
  ];
  return {
    to, from,
    subject: `Test email from the ${SITE_NAME}`,
    text: `${text.join("\n\n")}\n${footer.text}`,
    html: html([...text.map((line) => `<p>${escapeHtml(line)}</p>`), footer.html]),
    headers: { "Auto-Submitted": "auto-generated" },
  };
}
