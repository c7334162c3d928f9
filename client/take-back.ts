// "Take it back": for 15 minutes after sending a comment, its author sees Edit and Delete on it, whether it
// is pending (a block under the thread with its text) or approved (in the thread). A separate module, loaded by the
// main script (form.ts `takeBack`) only after a submission or when storage holds a live token, so the main script
// stays in its 3 KB; this one has its own budget (test/site/client-bundle.test.ts).
//
// The one storage key, `commentEdits` in localStorage, holds { [id]: { t: edit token, u: end of the window (ms),
// p: post slug, b: the text as sent } }. Entries are dropped as soon as their window has passed, and a withdrawn
// comment's at once. Nothing else is ever stored.

/** What the worker's 202 answer carries (an `editToken` only when the ledger holds its grant). */
export interface Sent {
  id: string;
  editToken?: string;
  editableUntil?: string;
}

interface Own {
  t: string;
  u: number;
  p: string;
  b: string;
}

const KEY = "commentEdits";
const api = document.body.dataset.commentsApi?.replace(/\/$/, "") ?? "";
const section = document.querySelector<HTMLElement>("#comments[data-post]");
const status = document.querySelector("#comment-status");
let timer: ReturnType<typeof setTimeout> | undefined;

/** The live entries (storage may be unavailable or hold anything: then there are none). */
function load(): Record<string, Own> {
  try {
    const all = JSON.parse(localStorage.getItem(KEY) ?? "{}") as Record<string, Own>;
    for (const [id, own] of Object.entries(all)) if (!(own.u > Date.now()) || typeof own.t !== "string") delete all[id];
    return all;
  } catch {
    return {};
  }
}

function keep(all: Record<string, Own>): void {
  try {
    if (Object.keys(all).length > 0) localStorage.setItem(KEY, JSON.stringify(all));
    else localStorage.removeItem(KEY);
  } catch {
    // Storage refused (blocked or full): no buttons are drawn, so this comment cannot be taken back from here.
  }
}

function say(message: string): void {
  if (status) status.textContent = message;
}

function button(label: string, action: (button: HTMLButtonElement) => void): HTMLButtonElement {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = label;
  element.addEventListener("click", () => action(element));
  return element;
}

/** Sends the author's PATCH or DELETE; resolves to the response, or null when the service cannot be reached. */
async function send(id: string, own: Own, method: "PATCH" | "DELETE", body?: string): Promise<Response | null> {
  try {
    return await fetch(`${api}/api/comments/${encodeURIComponent(id)}`, {
      method,
      headers: { authorization: `Bearer ${own.t}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify({ body }),
    });
  } catch {
    return null;
  }
}

/** What the reader is told when the service refused: its own message, or the field's. */
async function refusal(response: Response | null): Promise<string> {
  if (!response) return "We could not reach the comment service. Check your connection and try again.";
  const error = (await response.json().catch(() => undefined)) as { message?: string; fields?: { body?: string } } | undefined;
  return error?.fields?.body ?? error?.message ?? `That did not work (error ${response.status}).`;
}

function forget(id: string): void {
  const all = load();
  delete all[id];
  keep(all);
}

/** The Edit and Delete buttons (and the editor Edit opens) of one of the reader's comments. */
function actions(id: string, own: Own): HTMLElement {
  const box = document.createElement("div");
  box.className = "comment-own";
  const edit = button("Edit", () => {
    const text = document.createElement("textarea");
    text.value = own.b;
    text.rows = 6;
    text.maxLength = 5000;
    text.setAttribute("aria-label", "Edit your comment");
    const save = button("Save", async (saveButton) => {
      saveButton.disabled = true;
      const response = await send(id, own, "PATCH", text.value);
      saveButton.disabled = false;
      if (!response?.ok) return say(await refusal(response));
      const answer = (await response.json()) as { status: string };
      const all = load();
      if (all[id]) all[id].b = text.value.trim();
      keep(all);
      // An approved comment edited back to pending leaves the thread until a moderator approves the new text.
      if (answer.status !== "approved") document.getElementById(`comment-${id}`)?.remove();
      render(id);
      say(answer.status === "approved" ? "Your comment is updated." : "Your comment is updated and is awaiting moderation.");
    });
    const cancel = button("Cancel", () => render(id));
    box.replaceChildren(text, save, " ", cancel);
    text.focus();
  });
  const remove = button("Delete", async (deleteButton) => {
    // A second click confirms: nothing is deleted by one slip of the finger.
    if (deleteButton.textContent === "Delete") {
      deleteButton.textContent = "Confirm delete";
      return;
    }
    deleteButton.disabled = true;
    const response = await send(id, own, "DELETE");
    if (response?.status !== 204 && response?.status !== 404) {
      deleteButton.disabled = false;
      return say(await refusal(response));
    }
    forget(id);
    document.getElementById(`comment-${id}`)?.remove();
    render();
    say("Your comment is deleted.");
  });
  box.append(edit, " ", remove);
  return box;
}

/**
 * Draws the reader's live comments on this post with their buttons; again when the first window ends. `focus`: the
 * comment whose Edit button gets the focus back (after Save or Cancel, so keyboard users stay where they were).
 */
function render(focus?: string): void {
  for (const old of document.querySelectorAll(".comment-own, .comment-pending")) old.remove();
  const all = load();
  keep(all);
  clearTimeout(timer);
  const thread = document.querySelector("#comment-thread");
  if (!section || !thread) return;
  let next = Infinity;
  const pending: HTMLElement[] = [];
  let focused: HTMLElement | undefined;
  for (const [id, own] of Object.entries(all)) {
    if (own.p !== section.dataset.post) continue;
    next = Math.min(next, own.u);
    const box = actions(id, own);
    if (id === focus) focused = box.querySelector("button") ?? undefined;
    const article = document.getElementById(`comment-${id}`)?.querySelector(".comment-body");
    if (article) {
      article.append(box);
      continue;
    }
    const block = document.createElement("div");
    block.className = "comment-pending notice";
    const note = document.createElement("p");
    note.textContent = "Your comment is awaiting moderation.";
    const text = document.createElement("div");
    text.className = "comment-own-text";
    text.textContent = own.b;
    block.append(note, text, box);
    pending.push(block);
  }
  thread.after(...pending);
  focused?.focus();
  if (next < Infinity) timer = setTimeout(render, next - Date.now());
}

/**
 * Keeps a just-sent comment's token (when the 202 answer has one) with its text (never the other fields: no email),
 * and draws the reader's comments. Without arguments (the page has loaded), it only draws.
 */
export async function show(response?: Response | void, fields?: Record<string, string>): Promise<void> {
  const sent = (await response?.json().catch(() => undefined)) as Sent | undefined;
  if (sent?.editToken && sent.editableUntil && section) {
    const all = load();
    all[sent.id] = { t: sent.editToken, u: Date.parse(sent.editableUntil), p: section.dataset.post ?? "", b: fields?.body?.trim() ?? "" };
    keep(all);
  }
  render();
}
