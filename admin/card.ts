// One comment in the queue: who wrote it, where (a link to the post), when, what it answers, its text as plain
// text, and its actions as real buttons. The card is built from text nodes only: a comment is a stranger's words.
import type { AdminComment, PostLink, Status } from "./api.ts";
import { el, formatTime } from "./dom.ts";

/** What a row action does; "edit" and "reply" open an inline form, the others call the API. */
export type RowAction = "approve" | "reject" | "spam" | "reply" | "edit" | "block" | "delete";

const LABELS: Record<RowAction, string> = {
  approve: "Approve", reject: "Reject", spam: "Spam", reply: "Reply", edit: "Edit", block: "Block commenter", delete: "Delete",
};

/** The actions that make sense for a comment in each state (WordPress offers the same per status view). The blog
 * replies only to approved comments: a reply must not be published under a comment readers cannot see. */
const ACTIONS_BY_STATUS: Record<Status, RowAction[]> = {
  pending: ["approve", "reject", "spam", "edit", "block", "delete"],
  approved: ["reject", "spam", "reply", "edit", "block", "delete"],
  spam: ["approve", "reject", "edit", "block", "delete"],
  rejected: ["approve", "spam", "edit", "block", "delete"],
};

/** The actions shown for this comment: the blog's own replies are never "blocked". */
export function actionsFor(comment: AdminComment): RowAction[] {
  return ACTIONS_BY_STATUS[comment.status].filter((action) => !(action === "block" && comment.byBlog));
}

/** The id of the element that names a card (its heading); buttons point at it with aria-describedby. */
export const headingId = (comment: AdminComment): string => `c-${comment.id}`;

/** The post as a link to it on the site, or its slug as text when the manifest does not know it. */
function postLink(comment: AdminComment, posts: Record<string, PostLink>, siteUrl: string): Node {
  const post = posts[comment.post];
  if (!post) return document.createTextNode(comment.post);
  return el("a", { href: `${siteUrl}${post.url}` }, post.title);
}

/** "In reply to Ann: the start of Ann's comment" for a reply; null for a comment on the post. */
function inReplyTo(comment: AdminComment): HTMLElement | null {
  if (!comment.parentId) return null;
  if (!comment.parent) return el("p", { class: "in-reply" }, `In reply to comment ${comment.parentId}`);
  return el("p", { class: "in-reply" }, "In reply to ", el("b", {}, comment.parent.author), `: ${comment.parent.excerpt}`);
}

/** The card of one comment; `onAction` runs when one of its buttons is pressed. */
export function renderCard(
  comment: AdminComment, posts: Record<string, PostLink>, siteUrl: string,
  onAction: (action: RowAction, button: HTMLButtonElement) => void,
): HTMLLIElement {
  const heading = headingId(comment);
  const select = `select-${comment.id}`;
  const buttons = actionsFor(comment).map((action) => {
    const button = el("button", { type: "button", "data-action": action, "aria-describedby": heading }, LABELS[action]);
    button.addEventListener("click", () => onAction(action, button));
    return button;
  });
  const meta: (Node | string)[] = ["On ", postLink(comment, posts, siteUrl), " \u00b7 ",
    el("time", { datetime: comment.createdAt }, formatTime(comment.createdAt))];
  if (comment.moderatedAt) meta.push(` \u00b7 moderated ${formatTime(comment.moderatedAt)}`);
  const reply = inReplyTo(comment);
  return el("li", { "data-id": comment.id },
    el("article", { "aria-labelledby": heading },
      el("p", { class: "select" },
        el("input", { type: "checkbox", id: select, value: comment.id }),
        el("label", { for: select }, "Select ", el("span", { class: "visually-hidden" }, `the comment by ${comment.author}`))),
      el("h3", { id: heading }, comment.author, ...(comment.byBlog ? [" ", el("span", { class: "badge" }, "Author")] : [])),
      el("p", { class: "meta" }, ...meta),
      el("p", { class: "meta" }, comment.website || "no website"),
      ...(reply ? [reply] : []),
      el("div", { class: "body" }, comment.body),
      el("p", { class: "actions" }, ...buttons)));
}
