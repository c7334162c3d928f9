// Comment ids and the one-way hashes the service keeps instead of raw personal data.

// Crockford base32 is in ASCII order, so ids sort (and KV lists them) in submission order, like a ULID.
const BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A new, time-sortable id: 10 characters of milliseconds, then 16 random characters (a ULID). */
export function createId(now = Date.now()): string {
  let time = "";
  for (let t = now, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = BASE32[t % 32] + time;
  const random = crypto.getRandomValues(new Uint8Array(16));
  return time + Array.from(random, (byte) => BASE32[byte % 32]).join("");
}

/** Lower-case hex SHA-256 of `text`. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The id an imported comment without one gets: the same input always yields the same id (idempotent import). */
export async function deriveImportId(post: string, author: string, createdAt: string, body: string): Promise<string> {
  return `imp-${(await sha256Hex(JSON.stringify([post, author, createdAt, body]))).slice(0, 40)}`;
}

/** A salted hash of the client's IP: the rate-limit key. The raw IP is never stored or logged. */
export function hashClient(ip: string, salt = ""): Promise<string> {
  return sha256Hex(`ip:${salt}:${ip}`);
}

/** A salted hash of an email address, for the "returning commenter" rule. */
export function hashEmail(email: string, salt = ""): Promise<string> {
  return sha256Hex(`email:${salt}:${email.trim().toLowerCase()}`);
}
