// The rules panel (owners only): what the worker holds or marks as spam on arrival. A list with a Remove button per
// rule, and a form to add one. Moderators never see it; the API refuses them anyway (403).
import { callApi, type Rule } from "./api.ts";
import { byId, el, say } from "./dom.ts";

const KIND_TEXT: Record<Rule["kind"], string> = {
  email: "Email address", word: "Word or phrase", links: "At least this many links", "first-comment": "A commenter's first comment",
};
const ACTION_TEXT: Record<Rule["action"], string> = { hold: "hold for moderation", spam: "mark as spam" };

/** "Word or phrase “casino”: mark as spam". */
export function describeRule(rule: Pick<Rule, "kind" | "value" | "action">): string {
  const value = rule.kind === "first-comment" ? "" : ` \u201c${rule.value}\u201d`;
  return `${KIND_TEXT[rule.kind]}${value}: ${ACTION_TEXT[rule.action]}`;
}

function renderRule(rule: Rule): HTMLLIElement {
  const id = `rule-${rule.id}`;
  const remove = el("button", { type: "button", "aria-describedby": id }, "Remove");
  const item = el("li", { "data-id": rule.id }, el("span", { id }, describeRule(rule)), " ", remove);
  remove.addEventListener("click", () => void removeRule(rule, item));
  return item;
}

/** Lists the rules. */
export async function loadRules(): Promise<void> {
  const { rules } = await callApi<{ rules: Rule[] }>("/rules");
  byId("rules").replaceChildren(...rules.map(renderRule));
  byId("no-rules").hidden = rules.length > 0;
}

async function removeRule(rule: Rule, item: HTMLLIElement): Promise<void> {
  try {
    await callApi(`/rules/${encodeURIComponent(rule.id)}`, "DELETE");
    const next = (item.nextElementSibling ?? item.previousElementSibling)?.querySelector("button");
    item.remove();
    byId("no-rules").hidden = byId("rules").childElementCount > 0;
    say(`Removed the rule: ${describeRule(rule)}.`);
    (next ?? byId<HTMLSelectElement>("rule-kind")).focus();
  } catch (error) {
    say((error as Error).message);
  }
}

/** Adds the rule the form describes; on success the form is cleared for the next one. */
export async function addRule(form: HTMLFormElement): Promise<void> {
  const data = new FormData(form);
  const rule = {
    kind: String(data.get("kind")), value: String(data.get("value") ?? "").trim(), action: String(data.get("action")),
  } as Pick<Rule, "kind" | "value" | "action">;
  try {
    await callApi<Rule>("/rules", "POST", rule);
    // Listed again rather than appended: the list then shows the rules as the server keeps them.
    await loadRules();
    byId<HTMLInputElement>("rule-value").value = "";
    say(`Added the rule: ${describeRule(rule)}.`);
  } catch (error) {
    say((error as Error).message);
  }
}
