// One-click moderation links for the new-comment notifications, the webhook's and the moderators' mail (as Isso and
// Remark42 mail them): each names an action, a comment, a moderator and an expiry, signed with HMAC-SHA256 under
// LINK_SECRET (worker/http/signed-token.ts). The three links of one notification share one link id, which the ledger
// records when one of them is used: a decision is taken once, later changes go through /admin. No LINK_SECRET: no
// links, and /admin/act answers 404.
import { escapeHtml } from "../http/form-page.ts";
import { signToken, verifyToken } from "../http/signed-token.ts";

export const LINK_ACTIONS = ["approve", "reject", "spam"] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];
export const LINK_TTL_DAYS_DEFAULT = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What a link carries (signed, not secret: anyone holding the link may read it). */
export interface LinkClaims {
  action: LinkAction;
  id: string;
  moderator: string;
  /** Expiry, in milliseconds since the epoch. */
  exp: number;
  /** Shared by the links of one notification; recorded as used in the ledger. */
  link: string;
}

export interface ActionUrls {
  approveUrl: string;
  rejectUrl: string;
  spamUrl: string;
}

/** `<claims>.<signature>` (worker/http/signed-token.ts). */
export function signLink(claims: LinkClaims, secret: string): Promise<string> {
  return signToken(claims, secret);
}

/** The claims of a well-signed action link, or null; expiry is the caller's. */
export async function verifyLink(token: string, secret: string): Promise<LinkClaims | null> {
  const claims = await verifyToken(token, secret);
  if (!claims) return null;
  return LINK_ACTIONS.includes(claims.action as LinkAction) && typeof claims.id === "string" && typeof claims.moderator === "string"
    && typeof claims.exp === "number" && typeof claims.link === "string" ? (claims as unknown as LinkClaims) : null;
}

/**
 * The Approve, Reject and Spam links for a new comment, acting as `moderator` (the webhook's: NOTIFY_MODERATOR, else
 * the owner; a moderator's own mail: theirs), or null without LINK_SECRET (or with the admin API off).
 */
export async function buildActionUrls(env: Env, origin: string, id: string, now = Date.now(), moderator = env.NOTIFY_MODERATOR?.trim() || "owner"): Promise<ActionUrls | null> {
  const secret = env.LINK_SECRET;
  if (!secret || !env.MODERATOR_TOKEN) return null;
  const days = Number(env.LINK_TTL_DAYS);
  const ttl = (Number.isFinite(days) && days > 0 ? days : LINK_TTL_DAYS_DEFAULT) * DAY_MS;
  const base = { id, moderator, exp: now + ttl, link: crypto.randomUUID() };
  const url = async (action: LinkAction) => `${origin}/admin/act/${await signLink({ ...base, action }, secret)}`;
  return { approveUrl: await url("approve"), rejectUrl: await url("reject"), spamUrl: await url("spam") };
}

export const ACTION_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const VERBS: Record<LinkAction, string> = { approve: "Approve", reject: "Reject", spam: "Mark as spam" };

/** The small page a link shows: a question with a button (GET), or what happened (POST and refusals). */
export function renderActionPage(options: { title: string; message: string; claims?: LinkClaims; text?: string; revision?: number; confirm?: boolean }): string {
  const { claims } = options;
  // The form names the revision of the text shown, so an approval of a text edited since is refused.
  const revision = options.revision === undefined ? "" : `<input type="hidden" name="revision" value="${options.revision}">`;
  const form = options.confirm && claims
    ? `<form method="post">${revision}<button type="submit">${escapeHtml(VERBS[claims.action])}</button></form>`
    : `<p><a href="/admin">Open the moderation page</a></p>`;
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(options.title)} - Comment moderation</title></head>
<body><main>
<h1>${escapeHtml(options.title)}</h1>
<p>${escapeHtml(options.message)}</p>
${options.text ? `<blockquote>${escapeHtml(options.text).replaceAll("\n", "<br>")}</blockquote>` : ""}
${form}
</main></body>
</html>`;
}
