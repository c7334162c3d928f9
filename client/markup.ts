// The markup of a comment thread, as plain data, so the site build (HTML text, site/comment-thread.ts) and the
// comment script (DOM nodes, thread.ts) draw exactly the same thing:
//
//   <h2 class="comments-title">1 reply on “Title”</h2>
//   <ol class="comment-list">
//     <li class="comment" id="comment-ID">
//       <article class="comment-body">
//         <footer class="comment-meta"><b class="comment-author" dir="auto">Name or <a rel="nofollow ugc noopener">Name</a></b>
//           <time datetime="…">20 August 2012 at 10:15</time></footer>
//         <div class="comment-content"><p>text<br>text <a rel="nofollow ugc noopener">https://…</a></p></div>
//         <button type="button" class="comment-reply" data-reply-to="ID" hidden>Reply</button>
//       </article>
//       <ol class="children">…</ol>
//     </li>
//   </ol>
//
// Reader-supplied text is only ever a text node here, and only http(s) URLs become `href`s. Reply buttons
// start hidden: they need the script, which shows them.
import type { Comment } from "./api.ts";

/** An element (tag, attributes, children) or a text node. */
export type MarkupNode = string | MarkupElement;
export interface MarkupElement {
  tag: string;
  attrs: Record<string, string>;
  children: MarkupNode[];
}

/** Replies nest at most this deep; deeper ones are shown at the last level. */
export const MAX_DEPTH = 3;

const URL_PATTERN = /https?:\/\/[^\s<>"]+/g;
const LINK_REL = "nofollow ugc noopener";
const DATE_FORMAT = new Intl.DateTimeFormat("en-GB", {
  day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "Europe/London",
});

function h(tag: string, attrs: Record<string, string>, ...children: MarkupNode[]): MarkupElement {
  return { tag, attrs, children };
}

/** "1 reply", "2 replies". */
export function replies(count: number): string {
  return `${count} ${count === 1 ? "reply" : "replies"}`;
}

/** The thread's heading, as on the old site: 1 reply on “Title”. */
export function threadTitle(count: number, title: string): string {
  return `${replies(count)} on “${title}”`;
}

/** "23 August 2012 at 13:00", in UK time wherever it is drawn. */
export function formatDate(iso: string): string {
  return DATE_FORMAT.format(new Date(iso)).replace(", ", " at ");
}

/** Returns the URL if it is an absolute http(s) URL, else null: `javascript:`, `data:` and the rest never become links. */
export function safeHref(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** A line of text with its bare http(s) URLs as links. */
function linkify(text: string): MarkupNode[] {
  const nodes: MarkupNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    // Sentence punctuation after a URL belongs to the sentence, not the link.
    const url = match[0].replace(/[.,;:!?)\]']+$/, "");
    const href = safeHref(url);
    nodes.push(text.slice(last, match.index), href ? h("a", { href, rel: LINK_REL }, url) : url);
    last = match.index + url.length;
  }
  nodes.push(text.slice(last));
  return nodes.filter((node) => node !== "");
}

/** The comment's text: blank lines separate paragraphs, single newlines become line breaks. */
function body(text: string): MarkupElement {
  const paragraphs = text.split(/\n\s*\n/).map((paragraph) =>
    h("p", {}, ...paragraph.split("\n").flatMap((line, i) => [...(i > 0 ? [h("br", {})] : []), ...linkify(line)])),
  );
  return h("div", { class: "comment-content" }, ...paragraphs);
}

/** One comment's list item, without its replies. */
export function commentItem(comment: Comment, depth: number): MarkupElement {
  const website = safeHref(comment.website);
  // dir="auto" isolates the name's bidirectional text: a right-to-left override in it cannot reorder the date beside it.
  const author = h("b", { class: "comment-author", dir: "auto" }, website ? h("a", { href: website, rel: LINK_REL }, comment.author) : comment.author);
  const time = h("time", { datetime: comment.createdAt }, formatDate(comment.createdAt));
  const article = h("article", { class: "comment-body" }, h("footer", { class: "comment-meta" }, author, " ", time), body(comment.body));
  if (depth < MAX_DEPTH) {
    article.children.push(h("button", {
      type: "button", class: "comment-reply", "data-reply-to": comment.id, "aria-label": `Reply to ${comment.author}`, hidden: "",
    }, "Reply"));
  }
  return h("li", { class: "comment", id: `comment-${comment.id}` }, article);
}

/** The nested list of a thread (comments oldest first, so a parent always comes before its replies). */
export function threadList(comments: readonly Comment[]): MarkupElement {
  const root = h("ol", { class: "comment-list" });
  const placed = new Map<string, { item: MarkupElement; depth: number; list: MarkupElement }>();
  for (const comment of comments) {
    const parent = comment.parentId ? placed.get(comment.parentId) : undefined;
    let list = root;
    if (parent && parent.depth < MAX_DEPTH) list = repliesOf(parent.item);
    // At the deepest level a reply goes beside its parent instead of under it.
    else if (parent) list = parent.list;
    const depth = parent ? Math.min(parent.depth + 1, MAX_DEPTH) : 1;
    const item = commentItem(comment, depth);
    list.children.push(item);
    placed.set(comment.id, { item, depth, list });
  }
  return root;
}

/** The item's list of replies, made when its first reply arrives (an empty list is noise for screen readers). */
function repliesOf(item: MarkupElement): MarkupElement {
  const existing = item.children.find((c): c is MarkupElement => typeof c !== "string" && c.tag === "ol");
  if (existing) return existing;
  const list = h("ol", { class: "children" });
  item.children.push(list);
  return list;
}

/** The heading and the list, or nothing for a post without comments. */
export function threadMarkup(comments: readonly Comment[], title: string): MarkupElement[] {
  if (comments.length === 0) return [];
  return [h("h2", { class: "comments-title" }, threadTitle(comments.length, title)), threadList(comments)];
}
