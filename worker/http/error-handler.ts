// The app's one `onError`: every failure a route or middleware throws becomes the one error shape
// `{ error, message, fields? }` with its status, or, for the no-JavaScript form's POST, a small HTML page a reader
// can go back from. Anything unexpected is logged and answered 500 with nothing of its detail.
import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { type AppEnv, isFormPost, siteUrl } from "./context.ts";
import { ApiError, RETRY_AFTER_UNAVAILABLE_SECONDS, StoreUnavailableError } from "./errors.ts";
import { FORM_PAGE_CSP, renderFormErrorPage } from "./form-page.ts";

// The machine code of each client error Hono itself may throw (a body too large, a malformed request...).
const STATUS_CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "validation_failed",
  429: "rate_limited",
  503: "unavailable",
};

/** Every failure, as `{ error, message, fields? }` (or an HTML page for the no-JavaScript form). */
export const handleError: ErrorHandler<AppEnv> = (err, c) => {
  let error: ApiError;
  if (err instanceof ApiError) error = err;
  else if (err instanceof StoreUnavailableError) {
    console.error(err.message, err.cause);
    error = new ApiError(503, "unavailable", "Comments are briefly unavailable. Please try again in a moment.", {
      headers: { "Retry-After": String(RETRY_AFTER_UNAVAILABLE_SECONDS) },
    });
  } else if (err instanceof HTTPException && err.status < 500) {
    error = new ApiError(err.status, STATUS_CODES[err.status] ?? "bad_request", err.message || "The request was not understood.");
  } else {
    console.error("unexpected error", err);
    error = new ApiError(500, "internal_error", "Something went wrong on our side.");
  }
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  if (isFormPost(c) && c.req.path === "/api/comments") {
    const post = c.get("post");
    c.header("Content-Security-Policy", FORM_PAGE_CSP);
    const backUrl = `${siteUrl(c.env)}${post ? `${post.url}#respond` : "/"}`;
    return c.html(renderFormErrorPage({ message: error.message, fields: error.fields, backUrl }), error.status as 400);
  }
  const body = { error: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) };
  return c.json(body, error.status as 400);
};
