// The "manage my comments" link every mail carries: /mail/manage/<token>, where the token names the recipient by the
// salted hash of their address (never the address itself: a URL ends up in browser histories and proxy logs) and an
// expiry, signed under the MANAGE_SECRET Worker secret (worker/http/signed-token.ts). Its own secret, not LINK_SECRET:
// the moderators' one-click links and the commenters' links can then be turned off or rotated apart.
//
// 30 days: long enough to come back to a mail about last month's reply, short enough that a forwarded or leaked mail
// stops giving access to the comments soon; every new mail carries a fresh link. No MANAGE_SECRET: mails carry no
// link and the page answers 404.
import { signToken, verifyToken } from "../http/signed-token.ts";
import type { MailLinks } from "./templates.ts";

export const MANAGE_LINK_TTL_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
/** What the claims say they are for, so a token signed for another purpose never reads as a manage link. */
const USE = "manage";

/** What a manage link carries: whose comments (the salted email hash) and until when (ms since the epoch). */
export interface ManageClaims {
  use: typeof USE;
  hash: string;
  exp: number;
}

/** The token for this recipient's hash, good for MANAGE_LINK_TTL_DAYS from `now`. */
export function signManageToken(emailHash: string, secret: string, now: number): Promise<string> {
  const claims: ManageClaims = { use: USE, hash: emailHash, exp: now + MANAGE_LINK_TTL_DAYS * DAY_MS };
  return signToken(claims, secret);
}

/** Whose comments a token opens: their hash, "expired" for a well-signed token past its expiry, or null. */
export async function readManageToken(token: string, secret: string, now: number): Promise<{ emailHash: string } | "expired" | null> {
  const claims = await verifyToken(token, secret);
  if (!claims || claims.use !== USE || typeof claims.hash !== "string" || !/^[0-9a-f]{64}$/.test(claims.hash) || typeof claims.exp !== "number") return null;
  return now >= claims.exp ? "expired" : { emailHash: claims.hash };
}

/** The link a mail to this recipient carries, or null without MANAGE_SECRET. */
export async function manageUrl(links: MailLinks, emailHash: string, secret: string | null, now: number): Promise<string | null> {
  return secret ? `${links.serviceUrl}/mail/manage/${await signManageToken(emailHash, secret, now)}` : null;
}
