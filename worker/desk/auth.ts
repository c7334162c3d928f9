// The moderator check: `Authorization: Bearer <token>`. MODERATOR_TOKEN is the owner's bootstrap token, compared in
// constant time; any other token is looked up by its SHA-256 hash in the ledger's moderators table (strongly
// consistent, so a revoked token is refused at once, everywhere). No MODERATOR_TOKEN configured means the admin API
// is off (503), never open.
import type { MiddlewareHandler } from "hono";
import { callLedger, type AppEnv } from "../http/context.ts";
import { OWNER } from "./tables.ts";
import { ApiError } from "../http/errors.ts";
import { sha256Hex } from "../intake/ids.ts";

const BEARER = /^Bearer +(\S+) *$/i;
/** What `createToken` makes: anything else is refused without asking the ledger (a flood of junk costs it nothing). */
const MODERATOR_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Compares two secrets without leaking where they differ or how long they are (both are hashed first). */
export async function tokensMatch(given: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** Lets the request through only with the moderator token. The token is never read from the query string. */
export function requireModerator(): MiddlewareHandler<AppEnv> {
  return async function requireModerator(c, next) {
    const expected = c.env.MODERATOR_TOKEN;
    if (!expected) {
      throw new ApiError(503, "admin_disabled", "The moderation API is off: no MODERATOR_TOKEN is configured.");
    }
    const given = BEARER.exec(c.req.header("authorization") ?? "")?.[1];
    const moderator = given === undefined
      ? null
      : (await tokensMatch(given, expected))
        ? OWNER
        : MODERATOR_TOKEN_SHAPE.test(given)
          ? await callLedger(c.env, async (ledger) => ledger.moderatorByTokenHash(await hashToken(given)))
          : null;
    if (!moderator) {
      throw new ApiError(401, "unauthorized", "Send the moderator token as Authorization: Bearer <token>.", {
        headers: { "WWW-Authenticate": 'Bearer realm="comments moderation"' },
      });
    }
    c.set("moderator", moderator);
    await next();
  };
}

/** Lets only owners through (after requireModerator): they manage moderators and rules. */
export function requireOwner(): MiddlewareHandler<AppEnv> {
  return async function requireOwner(c, next) {
    if (c.get("moderator").role !== "owner") throw new ApiError(403, "forbidden", "Only an owner may do this.");
    await next();
  };
}

/** What the moderators table keeps of a token: its SHA-256, hex. */
export function hashToken(token: string): Promise<string> {
  return sha256Hex(`moderator-token:${token}`);
}

/** A new moderator token: 32 random bytes, base64url (256 bits, so a plain hash is enough to store it). */
export function createToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
