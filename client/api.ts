// The comment service's public API, as the page's script uses it. The service URL comes from the page
// (`<body data-comments-api>`), so the same build works against a local or a deployed worker.

// A published comment, as `GET /api/comments` returns it: declared once, with the worker.
import type { PublicComment as Comment } from "../worker/comment.ts";

export type { Comment };

/** The service's error body: `fields` names each field that failed validation. */
export interface ApiError {
  error: string;
  message: string;
  fields?: Record<string, string>;
}

/** A public read's JSON body; any answer but a success is an error. */
async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** Fetches a post's approved comments, oldest first. */
export async function fetchThread(api: string, post: string): Promise<Comment[]> {
  return (await getJson<{ comments: Comment[] }>(`${api}/api/comments?post=${encodeURIComponent(post)}`)).comments;
}

/** Fetches the approved-comment counts of several posts in one request. */
export async function fetchCounts(api: string, posts: string[]): Promise<Record<string, number>> {
  const query = posts.map((post) => `post=${encodeURIComponent(post)}`).join("&");
  return (await getJson<{ counts: Record<string, number> }>(`${api}/api/comments/counts?${query}`)).counts;
}

/** Submits a comment as JSON; resolves to the response (the caller reads its status), rejects on network errors. */
export function postComment(api: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${api}/api/comments`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(fields),
  });
}
