// The Mail panel: the moderator's own address (kept sealed by the worker; the page only learns whether one is set),
// whether they are mailed about comments held for moderation (a checkbox, on by default), a "Send a test email"
// button that mails that address at once, and the delivery log of every mail, newest first.
import { callApi, type DeliveryLine } from "./api.ts";
import { describeDelivery } from "./delivery-log.ts";
import { byId, el, formatTime, say } from "./dom.ts";

/** Says whether an address is set, beside the button that needs one. */
function showAddress(isSet: boolean): void {
  byId("mail-address-state").textContent = isSet
    ? "An email address is set for you: the test email, and the mail about comments held for moderation when ticked, go there."
    : "No email address is set for you: give one to send a test email or to be emailed about comments held for moderation.";
  byId("mail-forget").hidden = !isSet;
}

/** Loads whether the moderator has an address and wants the pending-comment mail, and the delivery log. */
export async function loadMail(): Promise<void> {
  const [{ address, pendingMail }, { deliveries }] = await Promise.all([
    callApi<{ address: boolean; pendingMail: boolean }>("/mail/me"),
    callApi<{ deliveries: DeliveryLine[] }>("/mail/log"),
  ]);
  showAddress(address);
  byId<HTMLInputElement>("mail-pending").checked = pendingMail;
  byId("mail-empty").hidden = deliveries.length > 0;
  byId("mail-table").hidden = deliveries.length === 0;
  byId("mail-log").replaceChildren(...deliveries.map((line) =>
    el("tr", {}, ...describeDelivery(line, formatTime).map((cell) => el("td", {}, cell)))));
}

/** Keeps the address in the field as the moderator's own. */
export async function saveAddress(form: HTMLFormElement): Promise<void> {
  const input = byId<HTMLInputElement>("mail-email");
  if (!form.reportValidity()) return;
  await callApi("/mail/me", "PUT", { email: input.value.trim() });
  input.value = "";
  showAddress(true);
  say("Your email address is saved.");
}

export async function forgetAddress(): Promise<void> {
  await callApi("/mail/me", "DELETE");
  showAddress(false);
  say("Your email address is removed.");
}

/** Turns the mail about comments held for moderation on or off, as the checkbox now says. */
export async function savePendingMail(): Promise<void> {
  const box = byId<HTMLInputElement>("mail-pending");
  try {
    const { pendingMail } = await callApi<{ pendingMail: boolean }>("/mail/me/pending-mail", "PUT", { on: box.checked });
    box.checked = pendingMail;
    say(pendingMail ? "You will be emailed when a comment is held for moderation." : "You will no longer be emailed about comments held for moderation.");
  } catch (error) {
    box.checked = !box.checked;
    throw error;
  }
}

/** Sends the test email; the server's refusal (no address, mail off, the provider's error) is shown as it is. */
export async function sendTestMail(): Promise<void> {
  try {
    const { messageId } = await callApi<{ messageId: string }>("/mail/test", "POST");
    say(`Test email sent (message id ${messageId}).`);
  } finally {
    await loadMail();
  }
}
