// What the worker and a test server both need to serve the page as built (scripts/write-admin-page.ts): its
// Content-Security-Policy and its markup with the site's address filled in. No DOM and no worker types here.

/** Script and style only from this origin, requests only to it; no inline code, no framing, no form posts. */
export const ADMIN_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The page's HTML with `data-site-url` set (escaped for an attribute), so cards can link to the posts. */
export function fillSiteUrl(html: string, siteUrl: string): string {
  const escaped = siteUrl.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return html.replace("{{SITE_URL}}", escaped);
}
