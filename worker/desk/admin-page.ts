// GET /admin: the moderation page. Its markup, stylesheet and script live in admin/ and are built
// into admin-page.generated.json (scripts/write-admin-page.ts, run by wrangler.toml's [build]); this sub-app serves
// them under a strict CSP (script and style only from this origin, fetch only to this origin). The page holds no
// data: the moderator pastes the token once per tab (sessionStorage) and every call to /api/admin/* carries it.
import { Hono } from "hono";
import { ADMIN_PAGE_CSP, fillSiteUrl } from "../../admin/page.ts";
import type { AppEnv } from "../http/context.ts";
import { siteUrl } from "../http/context.ts";
import built from "../admin-page.generated.json";

export const adminPage = new Hono<AppEnv>();

adminPage.use("*", async function adminPageHeaders(c, next) {
  await next();
  c.header("Content-Security-Policy", ADMIN_PAGE_CSP);
  c.header("Cache-Control", "no-cache");
});

// SITE_URL is public configuration: the page links each comment to its post on the site.
adminPage.get("/", (c) => c.html(fillSiteUrl(built.html, siteUrl(c.env))));
adminPage.get("/admin.js", (c) => c.body(built.script, 200, { "content-type": "text/javascript; charset=utf-8" }));
adminPage.get("/admin.css", (c) => c.body(built.css, 200, { "content-type": "text/css; charset=utf-8" }));
