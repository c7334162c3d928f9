// Email addresses at rest. The ledger keeps an address only where mail needs it (a subscriber's, a moderator's), and
// only sealed: AES-256-GCM through WebCrypto under MAIL_KEYS, a Worker secret of `id:base64key` pairs separated by
// commas. The first key seals; every listed key opens, so a key is rotated by putting a new one first and dropping
// the old one once nothing sealed under it is left. A sealed value is `<key id>.<iv>.<ciphertext>` (base64url), so
// it names the key that opens it. Lookups never need the address: they use the salted hash (intake/ids.ts).

const KEY_PATTERN = /^([A-Za-z0-9_-]{1,16}):([A-Za-z0-9+/]{43}=)$/;

const toBase64Url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromBase64 = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));

export interface AddressKeys {
  /** The id of the key new seals use. */
  current: string;
  keys: Map<string, CryptoKey>;
}

/** The keys of MAIL_KEYS, or null when it is unset (mail is off then); an error naming a malformed entry. */
export async function readAddressKeys(secret: string | undefined): Promise<AddressKeys | null> {
  if (!secret?.trim()) return null;
  const keys = new Map<string, CryptoKey>();
  for (const [index, entry] of secret.split(",").map((s) => s.trim()).entries()) {
    const match = KEY_PATTERN.exec(entry);
    if (!match) throw new Error(`MAIL_KEYS entry ${index + 1} is not "<id>:<32 bytes in base64>"`);
    keys.set(match[1]!, await crypto.subtle.importKey("raw", fromBase64(match[2]!), "AES-GCM", false, ["encrypt", "decrypt"]));
  }
  return { current: secret.trim().split(":")[0]!, keys };
}

/** The address sealed under the current key (a fresh random IV each time). */
export async function sealAddress(address: string, keys: AddressKeys): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const cipher = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, keys.keys.get(keys.current)!, new TextEncoder().encode(address));
  return `${keys.current}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(cipher))}`;
}

/** The address inside a sealed value; an error when its key is no longer listed or the value was altered. */
export async function openAddress(sealed: string, keys: AddressKeys): Promise<string> {
  const [id, iv, cipher] = sealed.split(".");
  const key = id === undefined ? undefined : keys.keys.get(id);
  if (!key || !iv || !cipher) throw new Error(`a sealed address names key "${id}", which MAIL_KEYS does not hold`);
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(iv) }, key, fromBase64(cipher));
  return new TextDecoder().decode(plain);
}
