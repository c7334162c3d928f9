// The few DOM helpers the page needs. Text always goes in as text nodes (never parsed as HTML).

type Child = Node | string;

/** An element with attributes (set with setAttribute, so never an event handler) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, attributes: Record<string, string> = {}, ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** The element with this id, as the type the page's markup gives it. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the page`);
  return node as T;
}

/** Says `text` in the page's live region (role="status"), so screen readers announce it. */
export function say(text: string): void {
  byId("message").textContent = text;
}

/** "1 comment", "2 comments". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A date as moderators in the UK read it. */
export const formatTime = (iso: string): string => new Date(iso).toLocaleString("en-GB");
