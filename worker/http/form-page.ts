// The no-JavaScript form's error page. A reader who posted the plain form can't read JSON, so errors on that path
// are a small HTML page (like WordPress's wp-comments-post.php) naming each field's problem; the browser's Back
// button returns to the form with their text intact.
import type { FieldErrors } from "../intake/schema.ts";

export const FORM_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const FIELD_LABELS: Record<string, string> = {
  post: "Post",
  author: "Name",
  email: "Email",
  website: "Website",
  body: "Comment",
  parentId: "Reply to",
};

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The page: a heading, the message, one line per failing field, and a link back to the post (or the site). */
export function renderFormErrorPage(options: { message: string; fields?: FieldErrors; backUrl: string }): string {
  const items = Object.entries(options.fields ?? {})
    .map(([field, problem]) => `<li><strong>${escapeHtml(FIELD_LABELS[field] ?? field)}:</strong> ${escapeHtml(problem)}</li>`)
    .join("");
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Your comment was not posted - Leadership Academy</title></head>
<body><main>
<h1>Your comment was not posted</h1>
<p>${escapeHtml(options.message)}</p>
${items ? `<ul>${items}</ul>` : ""}
<p>Use your browser's Back button to return to the form: what you wrote is still there.</p>
<p><a href="${escapeHtml(options.backUrl)}">Go back</a></p>
</main></body>
</html>`;
}
