// The MIME form of a message (worker/mail/message.ts), which the development transport keeps as an .eml file.
import { describe, expect, it } from "vitest";
import { type MailMessage, quotedPrintable, toMime } from "../../../worker/mail/message.ts";

/** Reverses quoted-printable: soft breaks joined, =XX bytes decoded as UTF-8. */
function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === "=") (bytes.push(parseInt(joined.slice(i + 1, i + 3), 16)), (i += 2));
    else bytes.push(joined.charCodeAt(i));
  }
  return new TextDecoder().decode(new Uint8Array(bytes)).replace(/\r\n/g, "\n");
}

const message: MailMessage = {
  to: "ada@example.org",
  from: "comments@example.org",
  subject: "Grace replied to your comment on “Système”",
  text: `Première ligne = égale\n${"long ".repeat(40)}\nhttps://comments.example.org/mail/unsubscribe/abc`,
  html: "<p>Hello</p>",
  headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "Auto-Submitted": "auto-generated" },
};

describe("toMime", () => {
  const mime = toMime(message, { messageId: "m1@localhost", date: new Date("2026-12-01T10:00:00Z") });
  const [head] = mime.split("\r\n\r\n");

  it("writes the addresses, date, message id and custom headers a mail client shows", () => {
    expect(head).toContain("From: comments@example.org\r\nTo: ada@example.org\r\n");
    expect(head).toContain("Date: Tue, 01 Dec 2026 10:00:00 +0000");
    expect(head).toContain("Message-ID: <m1@localhost>");
    expect(head).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(head).toContain("Auto-Submitted: auto-generated");
  });

  it("encodes a subject that is not plain ASCII as an RFC 2047 encoded word", () => {
    const subject = /^Subject: =\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/m.exec(head!);
    expect(new TextDecoder().decode(Uint8Array.from(atob(subject![1]!), (c) => c.charCodeAt(0)))).toBe(message.subject);
  });

  it("holds a plain-text part and an HTML part whose decoded text is the message's", () => {
    expect(mime).toContain('Content-Type: multipart/alternative; boundary="alt-m1localhost"');
    const parts = mime.split("--alt-m1localhost").slice(1, 3).map((part) => part.split("\r\n\r\n")[1]!.replace(/\r\n$/, ""));
    expect(decodeQuotedPrintable(parts[0]!)).toBe(message.text);
    expect(decodeQuotedPrintable(parts[1]!)).toBe(message.html);
  });

  it("keeps every line within 76 characters", () => {
    expect(Math.max(...quotedPrintable(`${"é".repeat(100)} ${"x".repeat(300)}`).split("\r\n").map((line) => line.length))).toBeLessThanOrEqual(76);
  });
});
