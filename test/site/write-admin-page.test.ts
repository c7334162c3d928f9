// scripts/write-admin-page.ts: the /admin page's script is bundled from admin/ and shipped inside the worker.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { fillSiteUrl } from "../../admin/page.ts";
import { buildAdminPage, writeAdminPage } from "../../scripts/write-admin-page.ts";

describe("the /admin page's build", () => {
  it("bundles the page's script within 8 KB gzipped, leaving the worker room under its budget", async () => {
    const { script } = await buildAdminPage();
    const bytes = gzipSync(script, { level: 9 }).length;
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThanOrEqual(8 * 1024);
  });

  it("never writes a comment into the page as HTML, and never runs code from a string", async () => {
    const { script } = await buildAdminPage();
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
  });

  it("writes markup with no inline script, style or handler, for the strict CSP", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "admin-page-")), "admin-page.generated.json");
    await writeAdminPage(out);
    const { html, css, script } = JSON.parse(readFileSync(out, "utf8")) as Record<string, string>;
    expect(html).toContain('<script src="/admin/admin.js" defer></script>');
    expect(html).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/);
    expect(css).toContain(".comments");
    expect(script).toContain("/api/admin");
  });
});

describe("fillSiteUrl", () => {
  it("puts the site's address in the page, escaped so it cannot leave its attribute", () => {
    expect(fillSiteUrl('<body data-site-url="{{SITE_URL}}">', "https://blog.example")).toBe('<body data-site-url="https://blog.example">');
    expect(fillSiteUrl('<body data-site-url="{{SITE_URL}}">', 'x"><script>')).toBe('<body data-site-url="x&#34;&#62;&#60;script&#62;">');
  });
});
