// How mail leaves the worker: one small interface, `Mailer`, so another provider (an HTTP mail API) can be added
// later without touching the rest. Three transports, chosen by MAIL_TRANSPORT:
// - "cloudflare" (the default): Cloudflare Email Service through the `send_email` binding EMAIL;
// - "dev": `npm start` only. Nothing leaves the machine: the MIME message is POSTed to scripts/dev.ts, which keeps
//   it as an `.eml` file in `.mail/` (wrangler's own simulation writes only the text and HTML parts, headers lost);
// - "record": the worker tests. Messages are kept in memory (recording.ts), where the tests read them.
import { type MailMessage, toMime } from "./message.ts";
import { recordingMailer } from "./recording.ts";

/** Sends one message; answers the provider's message id, or throws (the outbox retries). */
export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/** Cloudflare Email Service. The binding signs (DKIM) and adds Message-ID and Date itself. */
export function cloudflareMailer(binding: SendEmail): Mailer {
  return {
    async send(message) {
      const { messageId } = await binding.send({
        to: message.to,
        from: message.from,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        headers: message.headers,
      });
      return { messageId };
    },
  };
}

/** The development transport: the whole message, as the recipient would get it, to the local dev server. */
export function devMailer(url: string): Mailer {
  return {
    async send(message) {
      const messageId = `${crypto.randomUUID()}@localhost`;
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "message/rfc822" },
        body: toMime(message, { messageId, date: new Date() }),
      });
      if (!response.ok) throw new Error(`the local mail folder answered ${response.status}`);
      return { messageId };
    },
  };
}

/** The transport MAIL_TRANSPORT names; an error for a name it does not know or a binding that is missing. */
export function mailerFor(env: Env): Mailer {
  const name = env.MAIL_TRANSPORT ?? "cloudflare";
  if (name === "record") return recordingMailer;
  if (name === "dev") {
    if (!env.MAIL_DEV_URL) throw new Error("MAIL_TRANSPORT is dev but MAIL_DEV_URL is not set");
    return devMailer(env.MAIL_DEV_URL);
  }
  if (name !== "cloudflare") throw new Error(`MAIL_TRANSPORT "${name}" is not one of cloudflare, dev, record`);
  if (!env.EMAIL) throw new Error("the send_email binding EMAIL is missing");
  return cloudflareMailer(env.EMAIL);
}
