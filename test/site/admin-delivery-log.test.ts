// The /admin Mail panel's delivery log in words (admin/delivery-log.ts): each state a moderator must tell apart,
// with the provider's message id for a sent mail and the error for one that failed or is retrying.
import { describe, expect, it } from "vitest";
import type { DeliveryLine } from "../../admin/api.ts";
import { describeDelivery } from "../../admin/delivery-log.ts";

const LINE: DeliveryLine = {
  id: "reply:c1:abc", kind: "reply", recipient: "0123456789ab", commentId: "c1", state: "queued", attempts: 0,
  messageId: null, error: null, createdAt: "2026-12-04T10:00:00.000Z", updatedAt: "2026-12-04T10:05:00.000Z",
};
const iso = (value: string) => value;

describe("describeDelivery", () => {
  it("shows a queued mail with its kind and the recipient's hash, and nothing else to say", () => {
    expect(describeDelivery(LINE, iso)).toEqual(["2026-12-04T10:05:00.000Z", "Reply notification", "0123456789ab", "Queued", ""]);
  });

  it("shows a sent mail with the provider's message id", () => {
    expect(describeDelivery({ ...LINE, kind: "confirm", state: "sent", attempts: 1, messageId: "m-42@provider" }, iso).slice(1))
      .toEqual(["Subscription confirmation", "0123456789ab", "Sent (1 attempt)", "Message id m-42@provider"]);
  });

  it("shows a retrying mail with its attempts so far and the last error", () => {
    expect(describeDelivery({ ...LINE, state: "retrying", attempts: 2, error: "451 try later" }, iso).slice(3))
      .toEqual(["Retrying (2 attempts)", "451 try later"]);
  });

  it("shows a failed test email with the provider's error", () => {
    expect(describeDelivery({ ...LINE, kind: "test", state: "failed", attempts: 1, error: "550 mailbox [address] unavailable" }, iso).slice(1))
      .toEqual(["Test email", "0123456789ab", "Failed (1 attempt)", "550 mailbox [address] unavailable"]);
  });

  it("shows a mail dropped at send time as not sent, with the reason", () => {
    expect(describeDelivery({ ...LINE, state: "dropped", attempts: 0, error: "the reply is no longer approved" }, iso).slice(3))
      .toEqual(["Not sent (0 attempts)", "the reply is no longer approved"]);
  });
});
