// The moderator API as the page uses it (docs/api.md, "The moderator API"): every call carries the tab's bearer token, and
// every failure becomes an ApiError carrying the server's `message`, which the page shows as it is.

// The shapes come from the worker that serves this page, so the two cannot drift apart.
import type { AdminComment as StoredComment } from "../worker/comment.ts";
import type { DeliveryLine, ErasureReceipt, PersonExport, RebuildStatus as SiteStatus, Rule } from "../worker/desk-shapes.ts";
import type { Status } from "../worker/intake/schema.ts";

export type { DeliveryLine, ErasureReceipt, PersonExport, Rule, SiteStatus, Status };

/** The four states of a comment, in the order of the page's tabs. */
export const STATUSES = ["pending", "approved", "spam", "rejected"] as const satisfies readonly Status[];
export type Counts = Record<Status, number>;
export type BulkAction = "approve" | "reject" | "spam" | "delete";

/** A comment as the moderation list shows it: the record, and for a reply the comment it answers (null if gone). */
export interface AdminComment extends StoredComment {
  parent: { id: string; author: string; excerpt: string } | null;
  /** How many times the text changed after it arrived: an approval names the one it was shown. */
  revision: number;
}

export interface PostLink {
  title: string;
  url: string;
}

export interface CommentPage {
  comments: AdminComment[];
  posts: Record<string, PostLink>;
  counts: Counts;
  next: string | null;
}

export interface Me {
  name: string;
  role: "owner" | "moderator";
}

export interface BulkResult {
  id: string;
  ok: boolean;
  status?: Status;
  error?: string;
}

const TOKEN_KEY = "moderatorToken";

/** A refused or failed call; `status` 0 when the server could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export const readToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const storeToken = (token: string): void => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(TOKEN_KEY);

/** Calls /api/admin<path>; JSON in and out, null for 204. */
export async function callApi<T>(path: string, method = "GET", body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${readToken() ?? ""}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(`/api/admin${path}`, {
      method, headers, cache: "no-store", body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "The comment service could not be reached. Check the connection and try again.");
  }
  if (response.status === 401) throw new ApiError(401, "That token was not accepted. Sign in again.");
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { message?: unknown; fields?: unknown };
    // A refused form names each field's problem; those say more than the general message.
    const fields = problem.fields && typeof problem.fields === "object" ? Object.values(problem.fields).filter((m) => typeof m === "string") : [];
    const message = fields.length > 0 ? fields.join(" ") : typeof problem.message === "string" ? problem.message : `The request failed (${response.status}).`;
    throw new ApiError(response.status, message);
  }
  return (response.status === 204 ? null : await response.json()) as T;
}

/** The path of one comment's route. */
export const commentPath = (id: string, action = ""): string =>
  `/comments/${encodeURIComponent(id)}${action ? `/${action}` : ""}`;
