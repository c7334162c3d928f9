import { describe, expect, it } from "vitest";
import { call, createPending } from "../helpers.ts";

describe("GET /admin", () => {
  it("serves the moderation page under a strict Content-Security-Policy", async () => {
    const response = await call("/admin");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    const html = await response.text();
    expect(html).toContain('<script src="/admin/admin.js" defer></script>');
    expect(html).toContain('<input id="token" name="token" type="password"');
    expect(html).not.toMatch(/<script>|<style>| on[a-z]+=/);
    // The only address in the page is the site's, for the links to posts: no third-party asset.
    expect(html.replace('data-site-url="http://localhost:8080"', "")).not.toMatch(/https?:\/\//);
  });

  it("tells the page the site's address, so each comment links to its post", async () => {
    const html = await (await call("/admin")).text();
    expect(html).toContain('<body data-site-url="http://localhost:8080">');
  });

  it("holds no comment data: it looks the same with comments pending", async () => {
    const before = await (await call("/admin")).text();
    await createPending({ body: "A secret pending comment" });
    expect(await (await call("/admin")).text()).toBe(before);
  });

  it("serves its script and stylesheet from the same origin with the right types", async () => {
    const script = await call("/admin/admin.js");
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const code = await script.text();
    expect(code).toContain("sessionStorage");
    expect(code).toContain("/api/admin");
    expect(code).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    const style = await call("/admin/admin.css");
    expect(style.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });
});
