// The "manage my comments" pages (routes/manage.ts), opened from the signed link every mail carries: the list of the
// comments written with the recipient's address, with their status in words, and the confirm steps for deleting one
// and for erasing everything. Plain HTML that works without JavaScript or styles: a GET shows a page, and only the
// button of a confirm page POSTs (mail scanners open links; they do not press buttons).
import type { AdminComment } from "../comment.ts";
import type { PersonExport } from "../desk-shapes.ts";
import { escapeHtml } from "../http/form-page.ts";
import { findPost } from "../intake/posts.ts";
import { excerptOf } from "../notify/webhook.ts";
import { renderMailShell } from "./pages.ts";
import { SITE_NAME } from "./templates.ts";

/** A comment's status as its author reads it: a rejection and a spam verdict alike are "not published". */
export function statusInWords(status: AdminComment["status"]): string {
  if (status === "approved") return "Published";
  if (status === "pending") return "Awaiting moderation";
  return "Not published";
}

/** The day a comment was written, as a UK reader writes it ("4 December 2026"). */
const dayOf = (iso: string) => new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });

/** The post's title as a link to it (or its slug, when the site no longer has it). */
function postLink(comment: AdminComment, siteUrl: string): string {
  const post = findPost(comment.post);
  return post ? `<a href="${escapeHtml(`${siteUrl}${post.url}`)}">${escapeHtml(post.title)}</a>` : escapeHtml(comment.post);
}

const postTitle = (comment: AdminComment) => findPost(comment.post)?.title ?? comment.post;
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

function commentItem(comment: AdminComment, base: string, siteUrl: string): string {
  return `<li>
<h3>${postLink(comment, siteUrl)}</h3>
<p>Written on <time datetime="${escapeHtml(comment.createdAt)}">${escapeHtml(dayOf(comment.createdAt))}</time>. Status: <strong>${escapeHtml(statusInWords(comment.status))}</strong>.</p>
<blockquote>${escapeHtml(excerptOf(comment.body))}</blockquote>
<p><a href="${escapeHtml(`${base}/delete/${comment.id}`)}">Delete this comment on “${escapeHtml(postTitle(comment))}”</a></p>
</li>`;
}

/** The list page; `base` is the page's own path (/mail/manage/<token>), which every action link starts with. */
export function renderManageList(data: PersonExport, base: string, siteUrl: string): string {
  const { comments } = data;
  const list = comments.length === 0
    ? "<p>There are no comments written with this address.</p>"
    : `<ol>\n${comments.map((comment) => commentItem(comment, base, siteUrl)).join("\n")}\n</ol>`;
  return renderMailShell("Your comments", `<p>These are the comments written with your email address on the ${escapeHtml(SITE_NAME)}. This page opens from the link in the emails we send you: do not share that link.</p>
<h2>${escapeHtml(plural(comments.length, "comment"))}</h2>
${list}
<h2>Your data</h2>
<p><a href="${escapeHtml(`${base}/export`)}">Download my data (JSON)</a>: your comments, what moderators did with them, and your reply-email subscription.</p>
<h2>Erase everything</h2>
<p>Remove all your comments from the blog and forget your address for reply emails.</p>
<p><a href="${escapeHtml(`${base}/erase`)}">Erase everything…</a></p>`);
}

const backLink = (base: string) => `<p><a href="${escapeHtml(base)}">Back to your comments</a></p>`;

/** The confirm step for deleting one comment: what it is, what deleting does, the button. */
export function renderDeleteConfirm(comment: AdminComment, base: string): string {
  return renderMailShell("Delete this comment?", `<p>Your comment on “${escapeHtml(postTitle(comment))}”, written on ${escapeHtml(dayOf(comment.createdAt))} (${escapeHtml(statusInWords(comment.status).toLowerCase())}):</p>
<blockquote>${escapeHtml(excerptOf(comment.body))}</blockquote>
<p>Deleting removes it from the blog for good. Replies other people wrote to it stay.</p>
<form method="post"><button type="submit">Delete this comment</button></form>
${backLink(base)}`);
}

/** The confirm step for erasing everything, with the counts of what goes. */
export function renderEraseConfirm(data: PersonExport, base: string): string {
  const count = (words: string) => data.comments.filter((comment) => statusInWords(comment.status) === words).length;
  const subscribed = data.subscriptions.length > 0;
  return renderMailShell("Erase everything?", `<p>This erases, for good:</p>
<ul>
<li>${escapeHtml(plural(data.comments.length, "comment"))}: ${count("Published")} published, ${count("Awaiting moderation")} awaiting moderation, ${count("Not published")} not published;</li>
<li>${subscribed ? "your reply-email subscription and the address we keep for it" : "no reply-email subscription (you have none)"}.</li>
</ul>
<p>Replies other people wrote to your comments stay. This cannot be undone.</p>
<form method="post"><button type="submit">Erase everything</button></form>
${backLink(base)}`);
}

/** What a delete did. */
export function renderDeleted(comment: AdminComment, base: string): string {
  return renderMailShell("Comment deleted", `<p>Your comment on “${escapeHtml(postTitle(comment))}” is deleted. The blog's pages drop it within a few minutes.</p>
${backLink(base)}`);
}

/** The receipt of an erasure, in counts. */
export function renderErased(erased: number): string {
  return renderMailShell("Everything is erased", `<p>We erased ${escapeHtml(plural(erased, "comment"))}, and we keep no address of yours for reply emails. The blog's pages drop the comments within a few minutes.</p>
<p>The moderators' log keeps only that comments were erased, never what they said or who wrote them.</p>`);
}
