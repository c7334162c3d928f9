// Puts a thread's markup (markup.ts) into the page. The build has already drawn the thread it knew about
// into the page; the script only adds comments approved since then, redraws one whose text was edited (its
// revision changed) and drops ones removed, leaving everything else where it is, so nothing the reader is
// looking at moves.
import type { Comment } from "./api.ts";
import { repliesIn, threadMarkup, type MarkupElement, type MarkupNode } from "./markup.ts";

/** Builds DOM nodes from markup: text through text nodes only, never parsed as HTML. */
export function toDom(node: MarkupNode): Node {
  if (typeof node === "string") return document.createTextNode(node);
  const element = document.createElement(node.tag);
  for (const [name, value] of Object.entries(node.attrs)) element.setAttribute(name, value);
  element.append(...node.children.map(toDom));
  return element;
}

/** Adds the items of `markup` (an <ol>) that `list` lacks, at the end where they belong (newest last). */
function mergeList(list: Element, markup: MarkupElement): void {
  for (const item of markup.children) {
    if (typeof item === "string") continue;
    const existing = document.getElementById(item.attrs.id ?? "");
    if (!existing) {
      list.append(toDom(item));
      continue;
    }
    // Edited since it was drawn: redrawn in place, with its replies as the live thread has them.
    if (existing.dataset.rev !== item.attrs["data-rev"]) {
      existing.replaceWith(toDom(item));
      continue;
    }
    const replies = repliesIn(item);
    if (!replies) continue;
    // A comment shown without replies gets its whole list of them; one with replies gets the ones it lacks.
    const repliesList = existing.querySelector(":scope > ol");
    if (repliesList) mergeList(repliesList, replies);
    else existing.append(toDom(replies));
  }
}

/** Brings `container` in line with the live thread, touching only what changed. */
export function updateThread(container: HTMLElement, comments: readonly Comment[], title: string): void {
  const [heading, list] = threadMarkup(comments, title);
  const domList = container.querySelector(".comment-list");
  if (!heading || !list) {
    container.replaceChildren();
    return;
  }
  if (!domList) {
    container.replaceChildren(toDom(heading), toDom(list));
  } else {
    container.querySelector(".comments-title")?.replaceWith(toDom(heading));
    mergeList(domList, list);
    const live = new Set(comments.map((c) => `comment-${c.id}`));
    for (const item of container.querySelectorAll("li.comment")) if (!live.has(item.id)) item.remove();
  }
  for (const button of container.querySelectorAll<HTMLElement>(".comment-reply")) button.hidden = false;
}
