// The mail capability (worker/mail/): what a message is, the transports that send it (transport.ts), what each mail
// says (templates.ts; moderator-mail.ts for the moderators' mail about held comments), the subscriptions and the mail
// outbox in the ledger's SQLite (tables.ts), the moderators' addresses and choices (moderator-addresses.ts), the
// alarm's sender (sender.ts), the sealing of addresses at rest (address-seal.ts), and the "manage my comments" link
// every mail carries and its pages (manage-link.ts, manage-page.ts).
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

/**
 * UTF-8 text as quoted-printable (RFC 2045 6.7): ASCII stays readable in the .eml file, other bytes become =XX, and
 * lines longer than 76 characters end in a soft break "=".
 */
export function quotedPrintable(text: string): string {
  const encoder = new TextEncoder();
  return text.split(/\r?\n/).map((line) => {
    const tokens: string[] = [];
    const bytes = encoder.encode(line);
    bytes.forEach((byte, index) => {
      const last = index === bytes.length - 1;
      const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
      tokens.push(literal ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, "0")}`);
    });
    const lines: string[] = [];
    let current = "";
    for (const token of tokens) {
      if (current.length + token.length > 75) (lines.push(`${current}=`), (current = ""));
      current += token;
    }
    lines.push(current);
    return lines.join(CRLF);
  }).join(CRLF);
}

function part(type: string, body: string): string {
  return [`Content-Type: ${type}; charset=utf-8`, "Content-Transfer-Encoding: quoted-printable", "", quotedPrintable(body)].join(CRLF);
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
