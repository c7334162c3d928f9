// The one error type routes and middleware throw; the app's onError (error-handler.ts) turns it into the one error
// shape `{ error, message, fields? }` (or a small HTML page for the no-JavaScript form).
import type { FieldErrors } from "../intake/schema.ts";

/** An error a client can act on: an HTTP status, a stable machine code, a sentence for people. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: FieldErrors;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, options: { fields?: FieldErrors; headers?: Record<string, string> } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = options.fields;
    this.headers = options.headers ?? {};
  }
}

/** KV (or another storage call) failed: answered with 503 and Retry-After, never a 500. */
export class StoreUnavailableError extends Error {}

export const RETRY_AFTER_UNAVAILABLE_SECONDS = 30;

export const badRequest = (message: string) => new ApiError(400, "bad_request", message);
export const notFound = (message: string) => new ApiError(404, "not_found", message);
export const invalidFields = (fields: FieldErrors, message = "Some fields need correcting.") =>
  new ApiError(422, "validation_failed", message, { fields });
