// Abuse controls on the public write path: the browser-origin check, the honeypot, the per-client rate limit and
// optional Cloudflare Turnstile. Each is small and throws an ApiError the one onError answers.
import type { MiddlewareHandler } from "hono";
import { allowedOrigins, type AppEnv } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { hashClient } from "./ids.ts";

export const HONEYPOT_FIELD = "reference";
export const TURNSTILE_FIELD = "cf-turnstile-response";
/** Must match wrangler.toml's [[ratelimits]] `simple.period`: a client waits at most this long. */
export const RATE_LIMIT_PERIOD_SECONDS = 60;
export const SITEVERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
const TURNSTILE_TOKEN_MAX = 2048;
const TURNSTILE_RETRY_SECONDS = 10;

/**
 * Refuses writes and preflights from browser origins not in ALLOWED_ORIGINS (403). A request without an Origin
 * header comes from a non-browser client (curl, the moderation CLI) and is allowed: CSRF needs a browser.
 */
export function rejectForeignOrigins(): MiddlewareHandler<AppEnv> {
  return async function rejectForeignOrigins(c, next) {
    const origin = c.req.header("origin");
    const writes = ["POST", "PATCH", "DELETE", "OPTIONS"].includes(c.req.method);
    if (writes && origin !== undefined && !allowedOrigins(c.env).includes(origin)) {
      throw new ApiError(403, "origin_not_allowed", "Comments can only be posted from the blog itself.");
    }
    await next();
  };
}

/** A filled honeypot means a bot: the caller answers as if it succeeded and stores nothing. */
export function isHoneypotFilled(input: Record<string, unknown>): boolean {
  const value = input[HONEYPOT_FIELD];
  return value !== undefined && value !== null && value !== "";
}

/** Spends one submission of the client's budget (keyed by a salted IP hash, never the IP); 429 when spent. */
export async function enforceRateLimit(limiter: RateLimit, ip: string | undefined, salt: string | undefined): Promise<void> {
  const key = await hashClient(ip ?? "unknown", salt);
  let success = true;
  try {
    ({ success } = await limiter.limit({ key }));
  } catch (error) {
    // The limiter is a best-effort guard: if it fails, let the reader through rather than lose the comment.
    console.error("rate limiter failed", error);
  }
  if (!success) {
    throw new ApiError(429, "rate_limited", "You have posted several comments in a short time. Please wait a minute and try again.", {
      headers: { "Retry-After": String(RATE_LIMIT_PERIOD_SECONDS) },
    });
  }
}

/**
 * When TURNSTILE_SECRET is set, the submission must carry a Turnstile token that siteverify accepts
 * (https://developers.cloudflare.com/turnstile/get-started/server-side-validation/). Off when unset.
 */
export async function enforceTurnstile(secret: string | undefined, token: unknown, ip: string | undefined): Promise<void> {
  if (!secret) return;
  const failed = new ApiError(403, "turnstile_failed", "The human check failed. Please complete it and post again.");
  if (typeof token !== "string" || token === "" || token.length > TURNSTILE_TOKEN_MAX) throw failed;
  const unavailable = new ApiError(503, "unavailable", "The human check could not be completed just now. Please try again.", {
    headers: { "Retry-After": String(TURNSTILE_RETRY_SECONDS) },
  });
  let outcome: { success?: unknown; "error-codes"?: unknown };
  try {
    const body = new URLSearchParams({ secret, response: token });
    if (ip) body.set("remoteip", ip);
    const response = await fetch(SITEVERIFY_URL, { method: "POST", body });
    if (!response.ok) throw new Error(`siteverify answered ${response.status}`);
    outcome = await response.json();
  } catch (error) {
    console.error("Turnstile siteverify failed", error);
    throw unavailable;
  }
  if (outcome.success === true) return;
  if (Array.isArray(outcome["error-codes"]) && outcome["error-codes"].includes("internal-error")) throw unavailable;
  throw failed;
}
