// The site's `_headers` file: a Content-Security-Policy that lets pages use only the site itself and the
// comment service, and the usual hardening headers, for every path Cloudflare serves. The pages must work under it,
// so they carry no inline script, style or event handler (test/browser/csp.test.ts runs them in Chromium).
import { beforeAll, describe, expect, it } from "vitest";
import { headersFor, parseHeadersFile } from "../support/site.ts";
import { buildSite, type BuiltSite } from "./build-site.ts";

const SITE_URL = "https://blog.example.org";
// A path and a trailing slash, so the test sees the policy name the origin alone. Port 9 refuses at once.
const COMMENTS_API_URL = "http://127.0.0.1:9/comments-api/";
const API_ORIGIN = "http://127.0.0.1:9";

let site: BuiltSite;

beforeAll(async () => {
  site = await buildSite({ env: { SITE_URL, COMMENTS_API_URL } });
});

/** The policy as directive -> sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(";").map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...sources] = d.split(/\s+/);
    return [name!, sources];
  }));
}

describe("/_headers", () => {
  it("gives every page, feed and asset the same security headers", () => {
    const rules = parseHeadersFile(site.read("/_headers"));
    for (const path of ["/", "/posts/local-leadership-capabilities/", "/feed.xml", "/404.html", "/assets/comments.js", "/no/such/page"]) {
      const headers = headersFor(rules, path);
      expect(headers["Content-Security-Policy"], path).toBeDefined();
      expect(headers["X-Content-Type-Options"], path).toBe("nosniff");
      expect(headers["X-Frame-Options"], path).toBe("DENY");
      // Not `no-referrer`: with it a browser sends `Origin: null` on the plain form's cross-origin POST, which the
      // worker refuses (403), so readers without JavaScript could not comment.
      expect(headers["Referrer-Policy"], path).toBe("strict-origin-when-cross-origin");
      expect(headers["Permissions-Policy"], path).toContain("camera=()");
    }
  });

  it("allows scripts, styles and images only from the site, requests only to the site and the comment service", () => {
    const csp = directives(headersFor(parseHeadersFile(site.read("/_headers")), "/")["Content-Security-Policy"]!);
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(csp.get("style-src")).toEqual(["'self'"]);
    expect(csp.get("img-src")).toEqual(["'self'"]);
    expect(csp.get("connect-src")).toEqual(["'self'", API_ORIGIN]);
    expect(csp.get("form-action")).toEqual(["'self'", SITE_URL, API_ORIGIN]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    for (const [name, sources] of csp) {
      for (const source of sources) expect(["'self'", "'none'", SITE_URL, API_ORIGIN], `${name} ${source}`).toContain(source);
    }
  });

  it("names the comment service of the build it belongs to", async () => {
    const local = await buildSite({ env: { COMMENTS_API_URL: "http://localhost:8787" } });
    const csp = headersFor(parseHeadersFile(local.read("/_headers")), "/")["Content-Security-Policy"]!;
    expect(directives(csp).get("connect-src")).toEqual(["'self'", "http://localhost:8787"]);
  });
});

describe("pages under that policy", () => {
  it("carry no inline script, inline style or event handler attribute, which the policy would block", () => {
    const pages = site.files().filter((file) => file.endsWith(".html"));
    expect(pages.length).toBeGreaterThan(5);
    for (const page of pages) {
      const html = site.read(page);
      const scripts = [...html.matchAll(/<script\b([^>]*)>/gi)].map((m) => m[1]!);
      for (const attributes of scripts) expect(attributes, page).toMatch(/\bsrc="\/[^"]*"|type="application\/ld\+json"/);
      expect(html, page).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="|javascript:/i);
    }
  });
});
