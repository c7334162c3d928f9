// "Take it back": for a short while after sending a comment, its author may edit or delete it. The 202
// answer carries an edit token, a bearer secret that lives only in the author's browser; the ledger keeps only its
// SHA-256 hash with a deadline (worker/ledger/edit-grants.ts, `edit_grants`). Isso gives 15 minutes, Remark42 five; we give
// 15.
import type { AppContext } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { sha256Hex } from "./ids.ts";

/** How long after its submission a comment can be edited or deleted by its author (EDIT_WINDOW_SECONDS overrides). */
export const EDIT_WINDOW_SECONDS = 15 * 60;
/** 32 random bytes, base64url without padding. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The window in milliseconds: EDIT_WINDOW_SECONDS when it is a positive number (the browser test shortens it). */
export function editWindowMs(env: Env): number {
  const configured = Number(env.EDIT_WINDOW_SECONDS);
  return (Number.isFinite(configured) && configured > 0 ? configured : EDIT_WINDOW_SECONDS) * 1000;
}

/** A new edit token: 32 bytes from the platform's CSPRNG, base64url (43 characters). */
export function createEditToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** What the ledger stores and compares: the token's SHA-256 (hex). The token itself is never stored. */
export function hashEditToken(token: string): Promise<string> {
  return sha256Hex(`edit:${token}`);
}

/**
 * The hash of the request's `Authorization: Bearer <editToken>`. No header at all is 401; a header that cannot be a
 * token is refused like a wrong one (403), without asking the ledger.
 */
export async function requestTokenHash(c: AppContext): Promise<string> {
  const header = c.req.header("authorization");
  if (!header) {
    throw new ApiError(401, "unauthorized", "Send the comment's edit token: Authorization: Bearer <editToken>.", {
      headers: { "WWW-Authenticate": "Bearer" },
    });
  }
  const token = /^Bearer (\S+)$/.exec(header)?.[1] ?? "";
  if (!TOKEN_PATTERN.test(token)) throw forbidden();
  return hashEditToken(token);
}

/** "15 minutes", or "20 seconds" for a window shorter than a minute (tests). */
function describeWindow(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.round(ms / 1000)} seconds`;
}

export const forbidden = () => new ApiError(403, "forbidden", "This edit token does not belong to that comment.");

/** Why the ledger refused an author's edit or delete, as the one error shape. */
export function refusal(reason: "forbidden" | "expired" | "gone" | "rejected", env: Env): ApiError {
  switch (reason) {
    case "expired":
      return new ApiError(403, "edit_window_closed", `The ${describeWindow(editWindowMs(env))} for changing this comment have passed.`);
    case "gone":
      return new ApiError(404, "not_found", "This comment is no longer there.");
    case "rejected":
      return new ApiError(409, "not_editable", "A moderator has turned this comment down, so it can no longer be edited. You can still delete it.");
    default:
      return forbidden();
  }
}
