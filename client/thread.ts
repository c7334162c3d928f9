// Puts a thread's markup (markup.ts) into the page. The build has already drawn the thread it knew about
// into the page; the script only adds comments approved since then and drops ones a moderator removed,
// leaving everything else where it is, so nothing the reader is looking at moves.
import type { Comment } from "./api.ts";
import { threadMarkup, type MarkupElement, type MarkupNode } from "./markup.ts";

/** Builds DOM nodes from markup: text through text nodes only, never parsed as HTML. */
function toDom(node: MarkupNode): Node {
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
    const replies = item.children.find((c): c is MarkupElement => typeof c !== "string" && c.tag === "ol");
    if (!replies) continue;
    let repliesList = existing.querySelector(":scope > ol");
    if (!repliesList) {
      repliesList = document.createElement("ol");
      repliesList.className = "children";
      existing.append(repliesList);
    }
    mergeList(repliesList, replies);
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
    const domHeading = container.querySelector(".comments-title");
    const text = heading.children[0] as string;
    if (domHeading && domHeading.textContent !== text) domHeading.textContent = text;
    mergeList(domList, list);
    const live = new Set(comments.map((c) => `comment-${c.id}`));
    for (const item of container.querySelectorAll("li.comment")) if (!live.has(item.id)) item.remove();
  }
  for (const button of container.querySelectorAll<HTMLElement>(".comment-reply")) button.hidden = false;
}
