// The markup of a comment thread, as plain data, so the site build (HTML text, site/comment-thread.ts) and the
// comment script (DOM nodes, thread.ts) draw exactly the same thing:
//
//   <h2 class="comments-title">1 reply on “Title”</h2>
//   <ol class="comment-list">
//     <li class="comment" id="comment-ID" data-rev="REVISION">
//       <article class="comment-body">
//         <footer class="comment-meta"><b class="comment-author" dir="auto">Name or <a rel="nofollow ugc noopener">Name</a></b>
//           [<span class="comment-badge">Author</span>] <a href="#comment-ID"><time datetime="…">20 August 2012 at 10:15</time></a></footer>
//         <div class="comment-content">the comment's content: <p>, <em>, <a rel="nofollow ugc noopener">, <ul>… (CONTENT_TAGS)</div>
//         <button type="button" class="comment-reply" data-reply-to="ID" hidden>Reply</button>
//       </article>
//       <ol class="children">…</ol>
//     </li>
//   </ol>
//
// Reader-supplied text is only ever a text node here, and only http(s) URLs become `href`s. The worker turns a
// comment's text into its content tree (worker/render/content.ts); that tree comes over the network, so it is rebuilt
// here from an allow-list of tags and attributes before anything draws it. Reply buttons start hidden: they need the
// script, which shows them.
import type { MarkupElement, MarkupNode, PublicComment as Comment } from "../worker/comment.ts";

// The tree's types live with the comment's (worker/comment.ts); re-exported for the renderers that build trees.
export type { MarkupElement, MarkupNode };

/** Replies nest at most this deep; deeper ones are shown at the last level. */
export const MAX_DEPTH = 3;

/** The `rel` of every link a reader wrote: no endorsement, user content, no window.opener. */
export const LINK_REL = "nofollow ugc noopener";
/**
 * The tags a comment's content may use (the Markdown subset and WordPress's comment tags), and the one
 * attribute each may keep. Anything else in a content tree is dropped, keeping its text.
 */
export const CONTENT_TAGS = "p br em strong code pre blockquote ul ol li a abbr cite del q s".split(" ");
const CONTENT_ATTRS: Record<string, string> = { a: "href", abbr: "title", ol: "start" };
const DATE_FORMAT = new Intl.DateTimeFormat("en-GB", {
  day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "Europe/London",
});

/** An element of the markup. */
export function h(tag: string, attrs: Record<string, string>, ...children: MarkupNode[]): MarkupElement {
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
    return /^https?:$/.test(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Rebuilds a content tree from the allow-list: only CONTENT_TAGS are kept (any other element gives way to its
 * children), only their CONTENT_ATTRS are copied, and a link keeps only an http(s) `href`, with LINK_REL.
 */
export function cleanContent(nodes: readonly MarkupNode[]): MarkupNode[] {
  return nodes.flatMap((node): MarkupNode | MarkupNode[] => {
    if (typeof node == "string") return node;
    const children = cleanContent(node.children);
    if (!CONTENT_TAGS.includes(node.tag)) return children;
    const name = CONTENT_ATTRS[node.tag] ?? "";
    const value = node.attrs[name];
    const attrs: Record<string, string> = {};
    if (node.tag == "a") {
      const href = safeHref(value ?? null);
      if (!href) return children;
      attrs.href = href;
      attrs.rel = LINK_REL;
    } else if (value) attrs[name] = value;
    return h(node.tag, attrs, ...children);
  });
}

/**
 * The comment's text: its content tree, or (a thread published before there was one) the text as it was written.
 * The thread draws it, and so do the comment feeds (site/comment-feeds.ts).
 */
export function commentContent(comment: Comment): MarkupElement {
  return h("div", { class: "comment-content" }, ...cleanContent(comment.content ?? [comment.body]));
}

/** One comment's list item, without its replies. */
export function commentItem(comment: Comment, depth: number): MarkupElement {
  const website = safeHref(comment.website);
  // dir="auto" isolates the name's bidirectional text: a right-to-left override in it cannot reorder the date beside it.
  const author = h("b", { class: "comment-author", dir: "auto" }, website ? h("a", { href: website, rel: LINK_REL }, comment.author) : comment.author);
  // The date is the comment's permalink; the blog's own replies (byBlog, set only by moderators) carry a badge.
  const time = h("a", { href: `#comment-${comment.id}` }, h("time", { datetime: comment.createdAt }, formatDate(comment.createdAt)));
  const badge = comment.byBlog ? [h("span", { class: "comment-badge" }, "Author"), " "] : [];
  const article = h("article", { class: "comment-body" }, h("footer", { class: "comment-meta" }, author, " ", ...badge, time), commentContent(comment));
  if (depth < MAX_DEPTH) {
    article.children.push(h("button", {
      type: "button", class: "comment-reply", "data-reply-to": comment.id, "aria-label": `Reply to ${comment.author}`, hidden: "",
    }, "Reply"));
  }
  // data-rev: the text's revision, so the script redraws a comment whose text was edited since the page was built.
  return h("li", { class: "comment", id: `comment-${comment.id}`, "data-rev": comment.revision ?? "" }, article);
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

/** The item's list of replies, if it has one. */
export const repliesIn = (item: MarkupElement): MarkupElement | undefined =>
  item.children.find((c): c is MarkupElement => typeof c != "string" && c.tag == "ol");

/** The item's list of replies, made when its first reply arrives (an empty list is noise for screen readers). */
function repliesOf(item: MarkupElement): MarkupElement {
  const existing = repliesIn(item);
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
