// The recording transport of the worker tests (MAIL_TRANSPORT = "record"): every message is kept in memory instead
// of sent. The tests and the ledger's Durable Object run in one isolate, so the tests read what the alarm sent.
// `failWith` makes every send throw, to test the outbox's retries.
import type { MailMessage } from "./message.ts";

export const recordingMailer = {
  sent: [] as MailMessage[],
  /** When set, each send throws this message (and records nothing). */
  failWith: null as string | null,
  async send(message: MailMessage): Promise<{ messageId: string }> {
    if (this.failWith !== null) throw new Error(this.failWith);
    this.sent.push(message);
    return { messageId: `recorded-${this.sent.length}@test` };
  },
  clear(): void {
    this.sent.length = 0;
    this.failWith = null;
  },
};
