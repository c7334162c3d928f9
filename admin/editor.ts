// The inline form for editing a comment's text or replying to it: a labelled textarea with Save and Cancel inside
// the card. It takes focus when it opens, and gives focus back to the button that opened it when it closes
// (Cancel, Escape, or a successful save), so the keyboard never loses its place in the queue.
import { el } from "./dom.ts";

export interface EditorOptions {
  /** The textarea's label, e.g. "Edit the text of the comment by Ann". */
  label: string;
  submitLabel: string;
  initial: string;
  /** Saves the text; throwing keeps the form open (the caller says why). */
  save(text: string): Promise<void>;
}

/** Opens the form in `item`, just above its actions, closing any other form the card had open. */
export function openEditor(item: HTMLElement, opener: HTMLButtonElement, options: EditorOptions): void {
  item.querySelector("form.inline")?.remove();
  const id = `editor-${item.dataset.id ?? ""}`;
  const text = el("textarea", { id, name: "body", rows: "6", required: "" });
  text.value = options.initial;
  const submit = el("button", { type: "submit" }, options.submitLabel);
  const cancel = el("button", { type: "button" }, "Cancel");
  const form = el("form", { class: "inline" },
    el("p", {}, el("label", { for: id }, options.label), text),
    el("p", {}, submit, cancel));

  const close = () => {
    form.remove();
    opener.focus();
  };
  cancel.addEventListener("click", close);
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = cancel.disabled = true;
    try {
      await options.save(text.value);
      close();
    } catch {
      submit.disabled = cancel.disabled = false;
      text.focus();
    }
  });

  const actions = item.querySelector(".actions");
  if (actions) actions.before(form);
  else item.append(form);
  text.focus();
}
