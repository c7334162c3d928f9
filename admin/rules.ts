// The rules panel (owners only): what the worker holds or marks as spam on arrival. A list with a Remove button per
// rule, and a form to add one. Moderators never see it; the API refuses them anyway (403).
import { callApi, type Rule } from "./api.ts";
import { byId, el, say } from "./dom.ts";

const ACTION_TEXT: Record<Rule["action"], string> = { hold: "hold for moderation", spam: "mark as spam" };

/** What a rule matches. The server keeps an email rule's address only as its salted hash, so that is all it shows. */
function describeMatch(rule: Pick<Rule, "kind" | "value">, added: boolean): string {
  switch (rule.kind) {
    case "email": return added ? `Email address ${rule.value}` : `An email address (kept as a hash, ${rule.value.slice(0, 10)}\u2026)`;
    case "word": return `Text contains \u201c${rule.value}\u201d`;
    case "links": return `More than ${rule.value} links`;
    default: return "A commenter's first comment";
  }
}

/** "Text contains “casino”: mark as spam"; `added` for the rule as the owner typed it, before the server kept it. */
export function describeRule(rule: Pick<Rule, "kind" | "value" | "action">, added = false): string {
  return `${describeMatch(rule, added)}: ${ACTION_TEXT[rule.action]}`;
}

function renderRule(rule: Rule): HTMLLIElement {
  const id = `rule-${rule.id}`;
  const remove = el("button", { type: "button", "aria-describedby": id }, "Remove");
  const by = rule.createdBy ? ` (added by ${rule.createdBy})` : "";
  const item = el("li", { "data-id": rule.id }, el("span", { id }, describeRule(rule)), by, " ", remove);
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
    say(`Added the rule: ${describeRule(rule, true)}.`);
  } catch (error) {
    say((error as Error).message);
  }
}
