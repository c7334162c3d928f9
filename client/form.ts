// Enhances the server-rendered comment form. Without this script the form posts to the worker, which
// redirects back with #comment-submitted; with it, the reader stays on the page, sees field errors next to
// the fields, and never loses what they typed when something goes wrong.
import { postComment, type ApiError } from "./api.ts";
import { h } from "./markup.ts";
import { toDom } from "./thread.ts";

/** What the reader is told for each kind of failure; their text always stays in the form. */
export function describeFailure(status: number | null, retryAfter: string | null, error?: ApiError): string {
  if (status === null) return "We could not reach the comment service. Check your connection and try again: your comment is still here.";
  if (status === 429) {
    const wait = Number(retryAfter) > 0 ? `${retryAfter} seconds` : "a minute";
    return `You are sending comments too quickly. Please wait ${wait} and try again: your comment is still here.`;
  }
  if (status >= 500) return `The comment service is not working right now (error ${status}). Please try again in a few minutes: your comment is still here.`;
  return error?.message ?? `Your comment could not be sent (error ${status}).`;
}

function clearErrors(form: HTMLFormElement): void {
  for (const node of form.querySelectorAll(".field-error")) node.remove();
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  }
}

function showFieldErrors(form: HTMLFormElement, fields: Record<string, string>): boolean {
  let first: HTMLElement | null = null;
  for (const [name, message] of Object.entries(fields)) {
    // The form's visible fields are #comment-<name> (body, author, email, website); `post` and `parentId`, which
    // have no such field, are reported in the status line instead.
    const input = form.querySelector<HTMLElement>(`#comment-${name}`);
    if (!input) continue;
    const note = toDom(h("span", { class: "field-error", id: `${input.id}-error` }, message)) as HTMLElement;
    input.after(note);
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", note.id);
    first ??= input;
  }
  first?.focus();
  return !!first;
}

/**
 * Loads the Edit and Delete of the reader's own new comments (take-back.ts, a separate file) after a submission
 * (`sent`: the 202 response), or when storage holds a token. Storage can throw (blocked): then nothing is loaded.
 */
export function takeBack(sent?: Response | void, fields?: Record<string, string>): void {
  try {
    if (sent || localStorage.commentEdits) void import("./take-back.ts").then((module) => module.show(sent, fields));
  } catch {}
}

/** Wires the form: submit with fetch, errors beside fields, Reply / Cancel reply moving the form. */
export function enhanceForm(section: HTMLElement, api: string): void {
  const form = section.querySelector<HTMLFormElement>("#comment-form");
  const respond = section.querySelector<HTMLElement>("#respond");
  const status = section.querySelector<HTMLElement>("#comment-status");
  const title = section.querySelector<HTMLElement>("#reply-title");
  if (!form || !respond || !status || !title) return;
  // The server checks every field and its messages are shown beside the fields, the same in every browser.
  form.noValidate = true;
  const parentInput = form.elements.namedItem("parentId") as HTMLInputElement;
  const home = document.createComment("respond");
  respond.before(home);
  const cancel = toDom(h("button", { type: "button", class: "cancel-reply", hidden: "" }, "Cancel reply")) as HTMLButtonElement;
  title.after(cancel);

  const resetReply = (): void => {
    parentInput.value = "";
    title.textContent = "Leave a Comment";
    cancel.hidden = true;
    home.after(respond);
  };
  cancel.addEventListener("click", () => {
    resetReply();
    title.focus();
  });

  section.addEventListener("click", (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>("button[data-reply-to]");
    if (!button) return;
    parentInput.value = button.dataset.replyTo ?? "";
    const author = button.closest(".comment")?.querySelector(".comment-author")?.textContent ?? "";
    title.textContent = `Reply to ${author}`;
    cancel.hidden = false;
    button.closest(".comment-body")?.after(respond);
    form.querySelector<HTMLElement>("#comment-body")?.focus();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    clearErrors(form);
    status.textContent = "Sending your comment…";
    if (button) button.disabled = true;
    const fields: Record<string, string> = {};
    new FormData(form).forEach((value, key) => {
      if (typeof value === "string" && value !== "") fields[key] = value;
    });
    try {
      const response = await postComment(api, fields);
      if (response.status === 202) {
        takeBack(response, fields);
        form.reset();
        resetReply();
        status.textContent = "Your comment is awaiting moderation.";
        return;
      }
      const error = (await response.json().catch(() => undefined)) as ApiError | undefined;
      const marked = response.status === 422 && error?.fields && showFieldErrors(form, error.fields);
      status.textContent = marked ? "Please correct the fields marked below." : describeFailure(response.status, response.headers.get("retry-after"), error);
    } catch {
      status.textContent = describeFailure(null, null);
    } finally {
      if (button) button.disabled = false;
    }
  });
}
