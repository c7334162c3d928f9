// The mail capability (worker/mail/): what a message is, the transports that send it (transport.ts), what each mail
// says (templates.ts), the subscriptions and the mail outbox in the ledger's SQLite (tables.ts), the alarm's sender
// (sender.ts) and the sealing of addresses at rest (address-seal.ts).
//
// This file: one outgoing message, in the shape Cloudflare's `send_email` binding takes (to, from, subject, text,
// html, headers), and its MIME form for the development transport, which keeps every message as an `.eml` file.

/** One outgoing message: always a plain-text part, optionally an HTML one. */
export interface MailMessage {
  to: string;
  from: string;
  subject: string;
  text: string;
  html?: string;
  /** Custom headers (List-Unsubscribe, List-Id, Auto-Submitted...); the provider adds Message-ID, Date and DKIM. */
  headers: Record<string, string>;
}

const CRLF = "\r\n";

/** A header value as RFC 2047 encoded-words when it is not plain ASCII (subjects may hold a post's title). */
function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const bytes = new TextEncoder().encode(value);
  return `=?UTF-8?B?${btoa(String.fromCharCode(...bytes))}?=`;
}

/** Base64 of UTF-8 text, in lines of 76 characters (RFC 2045). */
function base64Lines(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return (btoa(binary).match(/.{1,76}/g) ?? []).join(CRLF);
}

function part(type: string, body: string): string {
  return [`Content-Type: ${type}; charset=utf-8`, "Content-Transfer-Encoding: base64", "", base64Lines(body)].join(CRLF);
}

/**
 * The message as an RFC 5322 / MIME text (multipart/alternative when it has HTML), as a mail client opens it.
 * `messageId` and `date` are what the provider would add.
 */
export function toMime(message: MailMessage, { messageId, date }: { messageId: string; date: Date }): string {
  const headers: Record<string, string> = {
    From: message.from,
    To: message.to,
    Subject: encodeHeader(message.subject),
    Date: date.toUTCString().replace("GMT", "+0000"),
    "Message-ID": `<${messageId}>`,
    "MIME-Version": "1.0",
    ...Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, encodeHeader(value)])),
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join(CRLF);
  if (message.html === undefined) return `${head}${CRLF}${part("text/plain", message.text)}${CRLF}`;
  const boundary = `alt-${messageId.replace(/[^A-Za-z0-9]/g, "")}`;
  return [
    head,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    part("text/plain", message.text),
    `--${boundary}`,
    part("text/html", message.html),
    `--${boundary}--`,
    "",
  ].join(CRLF);
}
