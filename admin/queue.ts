// The queue: one status at a time (tabs with counts, as WordPress's status links), narrowed by a search and a post,
// a page at a time ("Show more" follows the API's cursor). Row actions and bulk actions change a comment's status;
// the card then leaves the list, the counts follow, and focus moves to the next comment so a queue can be worked
// through from the keyboard.
import {
  type AdminComment, type BulkAction, type BulkResult, type CommentPage, type Counts, type PostLink, type Status,
  callApi, commentPath, STATUSES,
} from "./api.ts";
import { type RowAction, renderCard } from "./card.ts";
import { byId, el, plural, say } from "./dom.ts";
import { openEditor } from "./editor.ts";
import { loadRules } from "./rules.ts";

const TAB_NAMES: Record<Status, string> = { pending: "Pending", approved: "Approved", spam: "Spam", rejected: "Rejected" };
/** Where a comment goes after each status-changing action. */
const TARGET: Record<"approve" | "reject" | "spam" | "block", Status> = {
  approve: "approved", reject: "rejected", spam: "spam", block: "spam",
};
const DONE: Record<BulkAction, string> = { approve: "Approved", reject: "Rejected", spam: "Marked as spam", delete: "Deleted" };

const state = {
  status: "pending" as Status,
  next: null as string | null,
  counts: null as Counts | null,
  posts: {} as Record<string, PostLink>,
  shown: new Map<string, AdminComment>(),
};

const list = () => byId<HTMLOListElement>("comments");
const siteUrl = () => (document.body.dataset.siteUrl ?? "").replace(/\/+$/, "");

/** The tabs' names with their counts ("Pending (3)"); just the names when the server sends no counts. */
export function renderTabs(): void {
  for (const tab of byId("tabs").querySelectorAll<HTMLButtonElement>("button[data-status]")) {
    const status = tab.dataset.status as Status;
    tab.textContent = state.counts ? `${TAB_NAMES[status]} (${state.counts[status]})` : TAB_NAMES[status];
    if (status === state.status) tab.setAttribute("aria-current", "true");
    else tab.removeAttribute("aria-current");
  }
}

/** Moves `n` comments from one count to another (`to` null: deleted). */
function moveCount(from: Status, to: Status | null, n = 1): void {
  if (!state.counts || from === to) return;
  state.counts[from] = Math.max(0, state.counts[from] - n);
  if (to) state.counts[to] += n;
  renderTabs();
}

/** Fills the post filter from the posts the server knows, keeping the current choice. */
function renderPostFilter(): void {
  const select = byId<HTMLSelectElement>("post");
  const chosen = select.value;
  const options = Object.entries(state.posts)
    .sort(([, a], [, b]) => a.title.localeCompare(b.title))
    .map(([slug, post]) => el("option", { value: slug }, post.title));
  select.replaceChildren(el("option", { value: "" }, "All posts"), ...options);
  select.value = state.posts[chosen] ? chosen : "";
}

/** Comments shown per page ("Show more" brings the next). */
const PAGE_SIZE = 50;

function query(cursor?: string): string {
  const params = new URLSearchParams({ status: state.status, limit: String(PAGE_SIZE) });
  const q = byId<HTMLInputElement>("q").value.trim();
  const post = byId<HTMLSelectElement>("post").value;
  if (q) params.set("q", q);
  if (post) params.set("post", post);
  if (cursor) params.set("cursor", cursor);
  return `/comments?${params}`;
}

function show(page: CommentPage, append: boolean): HTMLLIElement[] {
  if (!append) state.shown.clear();
  state.posts = { ...state.posts, ...page.posts };
  state.counts = page.counts ?? null;
  state.next = page.next ?? null;
  const cards = page.comments.map((comment) => {
    state.shown.set(comment.id, comment);
    const card = renderCard(comment, state.posts, siteUrl(), (action, button) => void runAction(comment, action, card, button));
    return card;
  });
  if (append) list().append(...cards);
  else list().replaceChildren(...cards);
  byId("more").hidden = state.next === null;
  byId<HTMLInputElement>("select-all").checked = false;
  renderTabs();
  renderPostFilter();
  return cards;
}

function describeShown(): string {
  const q = byId<HTMLInputElement>("q").value.trim();
  const what = `${plural(state.shown.size, `${state.status} comment`)}${q ? ` matching \u201c${q}\u201d` : ""}`;
  return state.next ? `Showing the first ${what}.` : `${what[0]!.toUpperCase()}${what.slice(1)}.`;
}

/** Loads the first page of the current tab, search and post. */
export async function loadQueue(status: Status = state.status): Promise<void> {
  state.status = status;
  renderTabs();
  say(`Loading ${status} comments\u2026`);
  show(await callApi<CommentPage>(query()), false);
  say(describeShown());
}

/** Appends the next page and puts focus on its first comment. */
export async function loadMore(): Promise<void> {
  if (!state.next) return;
  const cards = show(await callApi<CommentPage>(query(state.next)), true);
  say(describeShown());
  cards[0]?.querySelector("input")?.focus();
}

/** Removes cards and moves focus to the comment after them (or before them, or the heading). */
function removeCards(cards: HTMLLIElement[], action: string): void {
  const last = cards.at(-1);
  let next = last?.nextElementSibling ?? null;
  while (next && cards.includes(next as HTMLLIElement)) next = next.nextElementSibling;
  next ??= cards[0]?.previousElementSibling ?? null;
  for (const card of cards) {
    state.shown.delete(card.dataset.id ?? "");
    card.remove();
  }
  const target = next?.querySelector<HTMLButtonElement>(`button[data-action="${action}"]`) ?? next?.querySelector("button");
  (target ?? byId("queue-title")).focus();
}

async function runAction(comment: AdminComment, action: RowAction, card: HTMLLIElement, button: HTMLButtonElement): Promise<void> {
  if (action === "edit" || action === "reply") return openForm(comment, action, card, button);
  if (action === "delete" && !confirm(`Delete the comment by ${comment.author} for good?`)) return;
  if (action === "block" && !confirm(`Block ${comment.author}? This comment and their next ones go to spam.`)) return;
  const buttons = [...card.querySelectorAll("button")];
  for (const b of buttons) b.disabled = true;
  try {
    if (action === "delete") await callApi(commentPath(comment.id), "DELETE");
    // An approval names the revision of the text shown, so an edit made since is refused rather than published.
    else await callApi(`${commentPath(comment.id, action)}${action === "approve" ? `?revision=${comment.revision}` : ""}`, "POST");
    moveCount(comment.status, action === "delete" ? null : TARGET[action]);
    removeCards([card], action);
    // Blocking adds an email rule: an owner sees it listed at once.
    if (action === "block" && !byId("rules-panel").hidden) await loadRules();
    say(action === "block"
      ? `Blocked ${comment.author}: the comment is marked as spam.`
      : action === "spam" ? `Marked the comment by ${comment.author} as spam.` : `${DONE[action]} the comment by ${comment.author}.`);
  } catch (error) {
    for (const b of buttons) b.disabled = false;
    say((error as Error).message);
  }
}

function openForm(comment: AdminComment, action: "edit" | "reply", card: HTMLLIElement, button: HTMLButtonElement): void {
  const body = card.querySelector(".body");
  openEditor(card, button, action === "edit"
    ? {
      label: `Edit the text of the comment by ${comment.author}`, submitLabel: "Save", initial: comment.body,
      async save(text) {
        const saved = await callApi<AdminComment>(commentPath(comment.id), "PATCH", { body: text }).catch(report);
        comment.body = saved.body;
        comment.revision += 1;
        if (body) body.textContent = saved.body;
        say(`Saved the new text of the comment by ${comment.author}.`);
      },
    }
    : {
      label: `Reply to ${comment.author} as the blog`, submitLabel: "Publish reply", initial: "",
      async save(text) {
        await callApi<AdminComment>(commentPath(comment.id, "reply"), "POST", { body: text }).catch(report);
        if (state.counts) state.counts.approved += 1;
        renderTabs();
        say(`Published your reply to ${comment.author}.`);
      },
    });
}

/** Says why a call failed, then fails the caller too (the inline form stays open). */
function report(error: unknown): never {
  say((error as Error).message);
  throw error;
}

/** Applies the bulk action to the selected comments, in one request. */
export async function applyBulk(action: BulkAction | ""): Promise<void> {
  const boxes = [...list().querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked")];
  if (!action) return say("Choose a bulk action first.");
  if (boxes.length === 0) return say("Select at least one comment first.");
  if (action === "delete" && !confirm(`Delete ${plural(boxes.length, "comment")} for good?`)) return;
  const ids = boxes.map((box) => box.value);
  const revisions = Object.fromEntries(ids.map((id) => [id, state.shown.get(id)?.revision ?? 0]));
  const { results } = await callApi<{ results: BulkResult[] }>("/comments/bulk", "POST", { action, ids, revisions });
  const done = results.filter((result) => result.ok);
  const failed = results.filter((result) => !result.ok);
  moveCount(state.status, action === "delete" ? null : TARGET[action], done.length);
  removeCards(done.map((result) => list().querySelector<HTMLLIElement>(`li[data-id="${CSS.escape(result.id)}"]`))
    .filter((card): card is HTMLLIElement => card !== null), action);
  const failures = failed.map((result) => `${state.shown.get(result.id)?.author ?? result.id}: ${result.error ?? "failed"}`);
  say(`${DONE[action]} ${plural(done.length, "comment")}.${failures.length ? ` Not changed: ${failures.join("; ")}.` : ""}`);
}

/** Ticks or clears every shown comment's checkbox. */
export function selectAll(checked: boolean): void {
  for (const box of list().querySelectorAll<HTMLInputElement>("input[type=checkbox]")) box.checked = checked;
}

export const currentStatus = (): Status => state.status;
export const isStatus = (value: string | undefined): value is Status => STATUSES.includes(value as Status);
