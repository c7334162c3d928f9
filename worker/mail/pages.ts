// The small pages behind the links in mail: confirm a subscription, unsubscribe (and the shell of the "manage my
// comments" pages, manage-page.ts). Mail scanners and link previews
// open links (Microsoft Safe Links is one), so a GET only shows a page whose button POSTs; the POST acts.
import { escapeHtml } from "../http/form-page.ts";
import { SITE_NAME } from "./templates.ts";

/** The pages' policy: no script, no styles from elsewhere, and a form that may post only back here. */
export const MAIL_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The page around `content`: the title as the heading, no script, not indexed. */
export function renderMailShell(title: string, content: string): string {
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} - ${escapeHtml(SITE_NAME)}</title></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${content}
</main></body>
</html>`;
}

/**
 * A heading, a message, and the button that POSTs to this same address when `button` is given, or a link onward
 * when `link` is.
 */
export function renderMailPage(options: { title: string; message: string; button?: string; link?: { href: string; text: string } }): string {
  const form = options.button === undefined
    ? ""
    : `<form method="post"><button type="submit">${escapeHtml(options.button)}</button></form>`;
  const link = options.link ? `<p><a href="${escapeHtml(options.link.href)}">${escapeHtml(options.link.text)}</a></p>` : "";
  return renderMailShell(options.title, `<p>${escapeHtml(options.message)}</p>\n${form}${link}`);
}
