// The site under its own Content-Security-Policy: the built site served with the headers of its
// `_headers` file, as Cloudflare serves it, the real worker, Chromium. Reading, the thread, the counts, posting with
// the script and posting without it all work, and the browser reports no violation. A deliberate injection is
// blocked and reported, which shows the policy is really in force.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_BROWSER_REASON } from "../support/browser.ts";
import { SEED_COMMENTS, startStack, type Stack } from "../support/stack.ts";

const POST = "local-leadership-capabilities";

if (NO_BROWSER_REASON) console.warn(NO_BROWSER_REASON);

/** Collects every CSP violation a page reports (the event fires for each blocked load, script or form). */
const RECORD_VIOLATIONS = () => {
  const seen: string[] = [];
  (window as unknown as { __violations: string[] }).__violations = seen;
  document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
};

describe.skipIf(NO_BROWSER_REASON !== null)("the site under its Content-Security-Policy", () => {
  let stack: Stack;
  let worker: Stack["worker"];
  let site: Stack["site"];
  let browser: Stack["browser"];

  beforeAll(async () => {
    stack = await startStack({ headers: true, beforeBuild: ({ importComments }) => importComments(SEED_COMMENTS) });
    ({ worker, site, browser } = stack);
  });

  afterAll(() => stack?.stop());

  /** A context whose pages record violations, and every console message about the policy. */
  async function newContext(javaScriptEnabled = true): Promise<{ context: BrowserContext; console: string[] }> {
    const context = await browser.newContext({ javaScriptEnabled });
    await context.addInitScript(RECORD_VIOLATIONS);
    const console: string[] = [];
    context.on("console", (message) => {
      if (/content security policy|refused to/i.test(message.text())) console.push(message.text());
    });
    return { context, console };
  }

  const violations = (page: Page) => page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);

  it("serves every page with the policy, and the file itself not at all", async () => {
    for (const path of ["/", `/posts/${POST}/`, "/tags/", "/feed.xml", "/assets/comments.js", "/nowhere"]) {
      const response = await fetch(`${site.url}${path}`);
      expect(response.headers.get("content-security-policy"), path).toContain(`connect-src 'self' ${worker.url}`);
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
    }
    expect((await fetch(`${site.url}/_headers`)).status).toBe(404);
  });

  it("reads pages, draws the thread and the counts, and posts with the script, with no violation", async () => {
    const { context, console } = await newContext();
    const page = await context.newPage();
    for (const path of ["/", "/tags/", "/nowhere"]) {
      await page.goto(`${site.url}${path}`);
      await page.waitForLoadState("networkidle");
      expect(await violations(page), path).toEqual([]);
    }
    await page.goto(`${site.url}/`);
    await expect.poll(() => page.locator(`[data-comment-count="${POST}"]`).textContent()).toMatch(/repl/);

    await page.goto(`${site.url}/posts/${POST}/`);
    await expect.poll(() => page.locator(".comment-reply:not([hidden])").count()).toBeGreaterThan(0);
    await page.fill("#comment-body", "Posted under the policy.");
    await page.fill("#comment-author", "Policy Reader");
    await page.fill("#comment-email", "policy@example.org");
    await page.click("#comment-form button[type=submit]");
    await expect.poll(() => page.locator("#comment-status").textContent()).toBe("Your comment is awaiting moderation.");
    expect(await violations(page)).toEqual([]);
    expect(console).toEqual([]);
    await context.close();
  });

  it("lets the plain form post without JavaScript and come back to the post", async () => {
    const { context, console } = await newContext(false);
    const page = await context.newPage();
    await page.goto(`${site.url}/posts/${POST}/`);
    await page.fill("#comment-body", "Posted without the script, under the policy.");
    await page.fill("#comment-author", "No Script Reader");
    await page.fill("#comment-email", "noscript@example.org");
    await Promise.all([page.waitForURL(/#comment-submitted$/), page.click("#comment-form button[type=submit]")]);
    expect(await page.locator("#comment-submitted").isVisible()).toBe(true);
    expect(console).toEqual([]);
    await context.close();
  });

  it("blocks and reports what the policy forbids: an inline script, another origin's image, a form to elsewhere", async () => {
    const { context } = await newContext();
    const page = await context.newPage();
    await page.goto(`${site.url}/posts/${POST}/`);
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__ran = true";
      document.body.append(script);
      const image = document.createElement("img");
      image.src = "https://evil.example/pixel.png";
      document.body.append(image);
    });
    await page.evaluate(() => {
      const form = document.createElement("form");
      form.method = "post";
      form.action = "https://evil.example/collect";
      document.body.append(form);
      form.submit();
    });
    await expect.poll(async () => (await violations(page)).length).toBeGreaterThanOrEqual(3);
    expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
    expect(page.url()).toBe(`${site.url}/posts/${POST}/`);
    const reported = (await violations(page)).join("\n");
    expect(reported).toContain("script-src");
    expect(reported).toContain("img-src");
    expect(reported).toContain("form-action");
    await context.close();
  });
});
