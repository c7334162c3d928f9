// Headers every response carries: no MIME sniffing, no Referer leaving the service, and a Content-Security-Policy
// that allows nothing, for the JSON answers. A page that needs more (/admin, the form's error page, the one-click
// links' pages) sets its own policy and keeps it.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context.ts";

const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Middleware adding the service's security headers after the route has answered. */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async function securityHeaders(c, next) {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    if (!c.res.headers.has("Content-Security-Policy")) c.header("Content-Security-Policy", DEFAULT_CSP);
  };
}
