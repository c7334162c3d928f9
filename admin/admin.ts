// The /admin moderation desk's script: sign in with the moderator token (kept in this tab's
// sessionStorage), then work the queue and, for owners, the rules and one person's data. Bundled by esbuild into the worker
// (scripts/write-admin-page.ts) and served as /admin/admin.js under the page's strict CSP.
import { ApiError, type BulkAction, callApi, forgetToken, type Me, readToken, type SiteStatus, storeToken } from "./api.ts";
import { byId, say } from "./dom.ts";
import { applyBulk, currentStatus, isStatus, loadMore, loadQueue, selectAll } from "./queue.ts";
import { askToErase, cancelErase, clearPerson, confirmErase, exportPerson } from "./person.ts";
import { addRule, loadRules } from "./rules.ts";
import { describeSiteStatus } from "./site-status.ts";
import { forgetAddress, loadMail, saveAddress, savePendingMail, sendTestMail } from "./mail.ts";

/** Runs a page action, showing its failure in the live region; a refused token signs the tab out. */
async function attempt(task: () => Promise<void>): Promise<void> {
  try {
    await task();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) signOut();
    say((error as Error).message);
  }
}

/** Who is signed in: the rules panel is the owner's. */
const whoAmI = (): Promise<Me> => callApi<Me>("/me");

/** How far the static site is behind, under the sign-in line: a note beside the work, so it never holds it up or fails it. */
function loadSiteStatus(): Promise<void> {
  return callApi<SiteStatus>("/status").then((status) => void (byId("site-status").textContent = describeSiteStatus(status)), () => undefined);
}

function signOut(): void {
  forgetToken();
  byId("workspace").hidden = true;
  byId("sign-in").hidden = false;
  byId("comments").replaceChildren();
  byId("rules").replaceChildren();
  clearPerson();
  byId("site-status").textContent = "";
  byId("mail-log").replaceChildren();
}

async function open(): Promise<void> {
  const me = await whoAmI();
  byId("sign-in").hidden = true;
  byId("workspace").hidden = false;
  byId("me").textContent = `Signed in as ${me.name} (${me.role}).`;
  byId("rules-panel").hidden = me.role !== "owner";
  byId("person-panel").hidden = me.role !== "owner";
  await loadQueue();
  if (me.role === "owner") await loadRules();
  // The Mail panel after the status line, so its two requests never delay that line.
  void loadSiteStatus().then(() => attempt(loadMail));
}

byId<HTMLFormElement>("sign-in").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = byId<HTMLInputElement>("token");
  storeToken(input.value.trim());
  input.value = "";
  void attempt(async () => {
    await open();
    // To the queue, unless the moderator is already working in it (the rules load after the comments).
    if (!byId("workspace").contains(document.activeElement)) byId("queue-title").focus();
  });
});
byId("sign-out").addEventListener("click", () => {
  signOut();
  say("Signed out.");
  byId("token").focus();
});
byId("tabs").addEventListener("click", (event) => {
  const status = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-status]")?.dataset.status;
  if (isStatus(status)) void attempt(() => loadQueue(status));
});
byId<HTMLFormElement>("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  void attempt(() => loadQueue());
});
byId("post").addEventListener("change", () => void attempt(() => loadQueue()));
byId("refresh").addEventListener("click", () => void attempt(async () => {
  await loadQueue(currentStatus());
  if (!byId("rules-panel").hidden) await loadRules();
  void loadSiteStatus();
}));
byId("more").addEventListener("click", () => void attempt(loadMore));
byId<HTMLInputElement>("select-all").addEventListener("change", (event) => selectAll((event.target as HTMLInputElement).checked));
byId<HTMLFormElement>("bulk").addEventListener("submit", (event) => {
  event.preventDefault();
  void attempt(() => applyBulk(byId<HTMLSelectElement>("bulk-action").value as BulkAction | ""));
});
byId<HTMLFormElement>("add-rule").addEventListener("submit", (event) => {
  event.preventDefault();
  void addRule(event.target as HTMLFormElement);
});

byId<HTMLFormElement>("person-form").addEventListener("submit", (event) => {
  event.preventDefault();
  void attempt(exportPerson);
});
byId("person-erase").addEventListener("click", () => void attempt(askToErase));
byId("person-erase-confirm").addEventListener("click", () => void attempt(confirmErase));
byId("person-erase-cancel").addEventListener("click", cancelErase);

byId<HTMLFormElement>("mail-address").addEventListener("submit", (event) => {
  event.preventDefault();
  void attempt(() => saveAddress(event.target as HTMLFormElement));
});
byId("mail-forget").addEventListener("click", () => void attempt(forgetAddress));
byId("mail-pending").addEventListener("change", () => void attempt(savePendingMail));
byId("mail-test").addEventListener("click", () => void attempt(sendTestMail));
byId("mail-refresh").addEventListener("click", () => void attempt(loadMail));

if (readToken()) void attempt(open);
