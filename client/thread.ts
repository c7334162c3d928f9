// Draws a post's approved comments the way the old WordPress theme did:
//
//   <h2 class="comments-title">1 reply on “Title”</h2>
//   <ol class="comment-list">
//     <li class="comment" id="comment-ID" data-depth="1">
//       <article class="comment-body">
//         <footer class="comment-meta"><b class="comment-author">Name or <a rel="nofollow ugc noopener"></a></b>
//           <time datetime="…">20 August 2012 at 10:15</time></footer>
//         <div class="comment-content"><p>text<br>text <a rel="nofollow ugc noopener">https://…</a></p></div>
//         <button type="button" class="comment-reply" data-reply-to="ID">Reply</button>
//       </article>
//       <ol class="children">…</ol>
//     </li>
//   </ol>
//
// Reader-supplied text only ever reaches the page through text nodes and `href` values that were parsed
// as http(s) URLs: never through innerHTML, so no comment can carry markup or script.
import type { Comment } from "./api.ts";

/** Replies nest at most this deep; deeper ones are shown at the last level. */
export const MAX_DEPTH = 3;

const URL_PATTERN = /https?:\/\/[^\s<>"]+/g;
const DATE_FORMAT = new Intl.DateTimeFormat("en-GB", {
  day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "Europe/London",
});

/** "1 reply", "2 replies". */
export function replies(count: number): string {
  return `${count} ${count === 1 ? "reply" : "replies"}`;
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

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function link(href: string, text: string): HTMLAnchorElement {
  const a = element("a", undefined, text);
  a.href = href;
  a.rel = "nofollow ugc noopener";
  return a;
}

/** Appends `text` to `parent`, turning bare http(s) URLs into links. */
function appendLinkified(parent: HTMLElement, text: string): void {
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    // Sentence punctuation after a URL belongs to the sentence, not the link.
    const url = match[0].replace(/[.,;:!?)\]']+$/, "");
    const start = match.index;
    parent.append(text.slice(last, start));
    const href = safeHref(url);
    parent.append(href ? link(href, url) : url);
    last = start + url.length;
  }
  parent.append(text.slice(last));
}

/** Builds the comment's text: blank lines separate paragraphs, single newlines become line breaks. */
function renderBody(body: string): HTMLElement {
  const content = element("div", "comment-content");
  for (const paragraph of body.split(/\n\s*\n/)) {
    const p = element("p");
    paragraph.split("\n").forEach((line, index) => {
      if (index > 0) p.append(element("br"));
      appendLinkified(p, line);
    });
    content.append(p);
  }
  return content;
}

function renderComment(comment: Comment, depth: number): HTMLLIElement {
  const item = element("li", "comment");
  item.id = `comment-${comment.id}`;
  item.dataset.depth = String(depth);
  const article = element("article", "comment-body");
  const meta = element("footer", "comment-meta");
  const author = element("b", "comment-author");
  const website = safeHref(comment.website);
  author.append(website ? link(website, comment.author) : comment.author);
  const time = element("time", undefined, DATE_FORMAT.format(new Date(comment.createdAt)).replace(", ", " at "));
  time.dateTime = comment.createdAt;
  meta.append(author, " ", time);
  article.append(meta, renderBody(comment.body));
  if (depth < MAX_DEPTH) {
    const reply = element("button", "comment-reply", "Reply");
    reply.type = "button";
    reply.dataset.replyTo = comment.id;
    reply.setAttribute("aria-label", `Reply to ${comment.author}`);
    article.append(reply);
  }
  item.append(article);
  return item;
}

/** Renders the heading and the nested list into `container`, replacing what was there. */
export function renderThread(container: HTMLElement, comments: Comment[], title: string): void {
  container.replaceChildren();
  if (comments.length === 0) return;
  container.append(element("h2", "comments-title", `${replies(comments.length)} on “${title}”`));

  const root = element("ol", "comment-list");
  const lists = new Map<string, { list: HTMLOListElement; depth: number }>();
  for (const comment of comments) {
    // Comments come oldest first, so a parent is always drawn before its replies.
    const parent = comment.parentId ? lists.get(comment.parentId) : undefined;
    const depth = parent ? Math.min(parent.depth + 1, MAX_DEPTH) : 1;
    const item = renderComment(comment, depth);
    (parent?.list ?? root).append(item);
    let children: HTMLOListElement;
    if (depth < MAX_DEPTH) {
      children = element("ol", "children");
      item.append(children);
    } else {
      children = parent?.list ?? root;
    }
    lists.set(comment.id, { list: children, depth: depth < MAX_DEPTH ? depth : MAX_DEPTH - 1 });
  }
  // Empty reply lists are noise for screen readers.
  for (const list of root.querySelectorAll("ol.children:empty")) list.remove();
  container.append(root);
}
