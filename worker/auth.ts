// The moderator check: `Authorization: Bearer <MODERATOR_TOKEN>`, compared in constant time. No token
// configured means the admin API is off (503), never open.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";

const BEARER = /^Bearer +(\S+) *$/i;

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
    if (given === undefined || !(await tokensMatch(given, expected))) {
      throw new ApiError(401, "unauthorized", "Send the moderator token as Authorization: Bearer <token>.", {
        headers: { "WWW-Authenticate": 'Bearer realm="comments moderation"' },
      });
    }
    await next();
  };
}
