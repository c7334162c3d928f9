// The Person panel (owners only): everything held about one commenter's email address, exported as JSON for a subject
// access request, or erased for an erasure request after a confirm step that shows what will go (docs/privacy.md).
// The address travels only in POST bodies. Moderators never see the panel; the API refuses them anyway (403).
import { callApi, type ErasureReceipt, type PersonExport } from "./api.ts";
import { byId, plural, say } from "./dom.ts";

/** The address the confirm step is about (the field may change while it is shown). */
let pending: string | null = null;
let download: string | null = null;

const field = () => byId<HTMLInputElement>("person-email");

/** The address in the field, or null (and the field's own message) when it is not one. */
function address(): string | null {
  const input = field();
  if (!input.reportValidity()) return null;
  return input.value.trim();
}

const exportOf = (email: string) => callApi<PersonExport>("/person/export", "POST", { email });

/** What an erasure of this person would remove, as the confirm step says it. */
export function describeHoldings(data: PersonExport): string {
  const published = data.comments.filter((c) => c.status === "approved").length;
  const rules = data.rules.length === 0 ? "" : ` ${plural(data.rules.length, "block rule")} on the address will stay.`;
  return `${plural(data.comments.length, "comment")} (${published} published), their text in ${data.audit.length} audit ${data.audit.length === 1 ? "entry" : "entries"} and ${plural(data.editGrants.length, "edit grant")} will be erased.${rules}`;
}

/** The receipt, in one sentence for the live region. */
export function describeReceipt(email: string, receipt: ErasureReceipt): string {
  return `Erased ${plural(receipt.comments, "comment")} by ${email}: ${plural(receipt.kvRecordsDeleted, "stored record")} deleted, ` +
    `${plural(receipt.posts.length, "thread")} republished, ${plural(receipt.auditRowsScrubbed, "audit text")} removed, ` +
    `${plural(receipt.editGrantsRemoved, "edit grant")} removed, ${plural(receipt.rulesKept, "block rule")} kept.` +
    (receipt.comments > 0 ? " The site rebuild has been asked for." : "");
}

function showResult(text: string): void {
  byId("person-result").textContent = text;
  byId("person-result").hidden = false;
}

/** Shows the export and offers it as a file. */
export async function exportPerson(): Promise<void> {
  const email = address();
  if (email === null) return;
  const data = await exportOf(email);
  const json = JSON.stringify(data, null, 2);
  showResult(json);
  if (download) URL.revokeObjectURL(download);
  download = URL.createObjectURL(new Blob([json], { type: "application/json" }));
  const link = byId<HTMLAnchorElement>("person-download");
  link.href = download;
  link.hidden = false;
  say(`Exported ${plural(data.comments.length, "comment")} held for ${email}.`);
}

/** The confirm step: what an erasure would remove, and the two buttons. */
export async function askToErase(): Promise<void> {
  const email = address();
  if (email === null) return;
  const data = await exportOf(email);
  pending = email;
  byId("person-counts").textContent = `${email}: ${describeHoldings(data)} This cannot be undone.`;
  byId("person-confirm").hidden = false;
  byId("person-erase-confirm").focus();
}

export function cancelErase(): void {
  pending = null;
  byId("person-confirm").hidden = true;
  say("Nothing was erased.");
  field().focus();
}

export async function confirmErase(): Promise<void> {
  if (pending === null) return;
  const email = pending;
  const receipt = await callApi<ErasureReceipt>("/person/erase", "POST", { email });
  pending = null;
  byId("person-confirm").hidden = true;
  byId("person-download").hidden = true;
  const text = describeReceipt(email, receipt);
  showResult(text);
  say(text);
  field().focus();
}

export function clearPerson(): void {
  pending = null;
  field().value = "";
  byId("person-confirm").hidden = true;
  byId("person-result").hidden = true;
  byId("person-download").hidden = true;
}
