// Signed tokens for the links the service hands out (the moderators' one-click links, worker/desk/action-links.ts;
// the commenter's "manage my comments" link, worker/mail/manage-link.ts): JSON claims and their HMAC-SHA256 under a
// Worker secret, both base64url, as `<claims>.<signature>`. Signed, not secret: anyone holding a link may read its
// claims, so they never hold an address. Each caller checks the shape and the expiry of the claims it reads.

const encoder = new TextEncoder();
const toBase64Url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromBase64Url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));

function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/** `<claims>.<signature>`, both base64url. */
export async function signToken(claims: object, secret: string): Promise<string> {
  const body = toBase64Url(encoder.encode(JSON.stringify(claims)));
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(body)));
  return `${body}.${toBase64Url(signature)}`;
}

/** The claims of a well-signed token as parsed JSON (checked in constant time by WebCrypto), or null. */
export async function verifyToken(token: string, secret: string): Promise<Record<string, unknown> | null> {
  const match = /^([A-Za-z0-9_-]{1,1000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  try {
    const ok = await crypto.subtle.verify("HMAC", await hmacKey(secret), fromBase64Url(match[2]!), encoder.encode(match[1]!));
    if (!ok) return null;
    const claims: unknown = JSON.parse(new TextDecoder().decode(fromBase64Url(match[1]!)));
    return typeof claims === "object" && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
