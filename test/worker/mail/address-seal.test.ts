// Addresses at rest (worker/mail/address-seal.ts): sealed with AES-GCM under MAIL_KEYS, opened by the key they name.
import { describe, expect, it } from "vitest";
import { openAddress, readAddressKeys, sealAddress } from "../../../worker/mail/address-seal.ts";

const OLD = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const NEW = "k2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

describe("sealed addresses", () => {
  it("hold no trace of the address, differ each time, and open to it again", async () => {
    const keys = (await readAddressKeys(OLD))!;
    const [first, second] = [await sealAddress("ada@example.org", keys), await sealAddress("ada@example.org", keys)];
    expect(first).toMatch(/^k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(first).not.toContain("ada");
    expect(first).not.toBe(second);
    expect(await openAddress(first, keys)).toBe("ada@example.org");
  });

  it("still open under an older key after rotation, while new seals use the first key", async () => {
    const sealed = await sealAddress("ada@example.org", (await readAddressKeys(OLD))!);
    const rotated = (await readAddressKeys(`${NEW},${OLD}`))!;
    expect(await openAddress(sealed, rotated)).toBe("ada@example.org");
    expect(await sealAddress("ada@example.org", rotated)).toMatch(/^k2\./);
  });

  it("refuse to open when altered, or when their key was dropped", async () => {
    const keys = (await readAddressKeys(OLD))!;
    const sealed = await sealAddress("ada@example.org", keys);
    const altered = sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA");
    await expect(openAddress(altered, keys)).rejects.toThrow();
    await expect(openAddress(sealed, (await readAddressKeys(NEW))!)).rejects.toThrow('names key "k1"');
  });

  it("are off without MAIL_KEYS, and a malformed entry is named", async () => {
    expect(await readAddressKeys(undefined)).toBeNull();
    expect(await readAddressKeys("  ")).toBeNull();
    await expect(readAddressKeys(`${OLD},k2:short`)).rejects.toThrow("MAIL_KEYS entry 2");
  });
});
