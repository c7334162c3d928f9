// The Mail panel's delivery log, line by line, in words a moderator reads (GET /api/admin/mail/log). No DOM here, so
// the words are tested alone; mail.ts puts them in the table. A recipient is named by the first characters of the
// salted hash of the address, never by the address: the log never has one.
import type { DeliveryLine } from "./api.ts";

const KINDS: Record<DeliveryLine["kind"], string> = {
  reply: "Reply notification",
  confirm: "Subscription confirmation",
  test: "Test email",
  pending: "Comments awaiting moderation",
};

const STATES: Record<DeliveryLine["state"], string> = {
  queued: "Queued",
  sending: "Sending",
  retrying: "Retrying",
  sent: "Sent",
  failed: "Failed",
  dropped: "Not sent",
};

/** The cells of one line: when, what, to whom (hash), state with attempts, and the message id or the error. */
export function describeDelivery(line: DeliveryLine, formatTime: (iso: string) => string): string[] {
  const tries = line.attempts === 1 ? "1 attempt" : `${line.attempts} attempts`;
  const state = line.state === "queued" ? STATES.queued : `${STATES[line.state]} (${tries})`;
  const detail = line.state === "sent" ? `Message id ${line.messageId ?? "unknown"}` : line.error ?? "";
  return [formatTime(line.updatedAt), KINDS[line.kind], line.recipient, state, detail];
}
