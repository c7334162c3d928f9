// Stored XSS, end to end: every payload of test/fixtures/xss-payloads.txt (OWASP filter-evasion style) is
// a comment's body, name and website, approved through the moderator import, built into the static page and drawn
// by the real comment script in Chromium, and shown pending on the moderator's /admin page. No CSP here: the
// rendering itself must be safe. Nothing may run (no dialog, no navigation, no popup), no element or attribute may
// be injected, every text must come out exactly as written, and only http(s) URLs may ever become links.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_BROWSER_REASON } from "../support/browser.ts";
import { startStack, type Stack } from "../support/stack.ts";
import type { MarkupNode } from "../../client/markup.ts";
import { textOf } from "../../worker/render/content.ts";

const POST = "local-leadership-capabilities";
const OTHER_POST = "system-leadership-matters";
const PAYLOADS = readFileSync(new URL("../fixtures/xss-payloads.txt", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line !== "" && !line.startsWith("## "));

// The server refuses control characters (tab and newline allowed in the body); the rest of every payload is kept.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const bodyOf = (payload: string) => `${payload.replace(CONTROLS, "")}\nhttps://example.org/ok?${payload.length} ${payload.replace(CONTROLS, "")}`;
const authorOf = (payload: string) => {
  let name = payload.replace(/[\u0000-\u001F\u007F-\u009F]/g, " ").trim();
  while (name.length > 100) name = [...name].slice(0, -1).join("").trim();
  return name || "x";
};
/** An http(s) website carrying the payload in its path (attribute break-out attempts), within the 200 limit. */
const websiteOf = (payload: string, i: number) => {
  let url = `https://example.org/${i}/${payload.replace(/[\s\\\u0000-\u001F\u007F-\u009F]/g, "")}`;
  while (url.length > 200) url = [...url].slice(0, -1).join("");
  return URL.canParse(url) ? url : `https://example.org/${i}`;
};

/**
 * Tags and attributes the thread markup uses (client/markup.ts), with what a comment's content may use (its
 * CONTENT_TAGS); anything else in the thread was injected.
 */
const THREAD_TAGS = ["H2", "OL", "LI", "ARTICLE", "FOOTER", "B", "A", "TIME", "DIV", "P", "BR", "BUTTON", "SPAN",
  "EM", "STRONG", "CODE", "PRE", "BLOCKQUOTE", "UL", "ABBR", "CITE", "DEL", "Q", "S"];
const THREAD_ATTRIBUTES = ["class", "id", "href", "rel", "datetime", "type", "data-reply-to", "data-rev", "aria-label", "hidden", "dir", "title", "start"];
/** Tags and attributes of the /admin page's comment cards. */
const ADMIN_TAGS = ["LI", "ARTICLE", "H3", "P", "TIME", "DIV", "BUTTON", "INPUT", "LABEL", "SPAN", "A", "B"];
const ADMIN_ATTRIBUTES = ["class", "id", "data-id", "data-action", "aria-labelledby", "aria-describedby", "datetime", "type",
  "disabled", "for", "value", "href"];

interface Shown {
  id: string;
  author: string;
  website: string | null;
  body: string;
  content: MarkupNode[];
}

if (NO_BROWSER_REASON) console.warn(NO_BROWSER_REASON);

describe.skipIf(NO_BROWSER_REASON !== null)("hostile comments in the browser", () => {
  let stack: Stack;
  let worker: Stack["worker"];
  let site: Stack["site"];
  let browser: Stack["browser"];
  let siteUrl: string;
  let admin: Stack["admin"];
  let published: Shown[];

  beforeAll(async () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(100);
    const asMarkdown = PAYLOADS.map((payload, i) => ({
      id: `xss-${i}`, post: POST, parentId: i > 0 && i % 7 === 0 ? `xss-${i - 1}` : null, author: authorOf(payload), email: null,
      website: i % 3 === 2 ? null : websiteOf(payload, i), body: bodyOf(payload), createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    }));
    // Each payload again as an imported WordPress comment (format "html"): the other renderer (wp-html.ts).
    const asWordPressHtml = asMarkdown.map((c, i) => ({
      ...c, id: `xss-html-${i}`, parentId: null, format: "html", createdAt: new Date(Date.UTC(2026, 0, 2, 0, i)).toISOString(),
    }));
    const approved = [...asMarkdown, ...asWordPressHtml];
    const pending = asMarkdown.map((c) => ({ ...c, id: `xss-pending-${c.id}`, post: OTHER_POST, parentId: null, email: "moderator.sees@example.org", status: "pending" }));
    // Imported before the build, so the static page carries the hostile thread too.
    stack = await startStack({
      async beforeBuild({ worker, importComments }) {
        for (const batch of [approved, pending]) await importComments(batch);
        published = ((await (await fetch(`${worker.url}/api/comments?post=${POST}`)).json()) as { comments: Shown[] }).comments;
        expect(published).toHaveLength(2 * PAYLOADS.length);
      },
    });
    ({ worker, site, browser, siteUrl, admin } = stack);
  });

  afterAll(() => stack?.stop());

  /** Opens a page and records everything a payload could do: dialogs, popups, navigations, errors. */
  async function open(url: string, javaScriptEnabled = true): Promise<{ page: Page; events: string[] }> {
    const context = await browser.newContext({ javaScriptEnabled });
    const events: string[] = [];
    const page = await context.newPage();
    context.on("page", (popup) => events.push(`popup ${popup.url()}`));
    page.on("dialog", (dialog) => {
      events.push(`${dialog.type()} ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on("pageerror", (error) => events.push(`page error ${error.message}`));
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame() && frame.url() !== url && !frame.url().startsWith(`${url}#`)) events.push(`navigated to ${frame.url()}`);
    });
    await page.goto(url);
    return { page, events };
  }

  /** Everything in the page that a payload could have injected; run in the page. */
  function injectedIn(page: Page, rootSelector: string, tags: string[], attributes: string[]): Promise<string[]> {
    return page.evaluate(({ rootSelector, tags, attributes }) => {
      const problems: string[] = [];
      const dangerous = /^(?:javascript|data|vbscript|livescript):/i;
      for (const el of document.querySelectorAll("*")) {
        for (const attr of el.attributes) {
          if (attr.name.toLowerCase().startsWith("on")) problems.push(`<${el.tagName}> has ${attr.name}`);
          if (dangerous.test(attr.value.replace(/[\s\u0000-\u001F]/g, ""))) problems.push(`<${el.tagName}> ${attr.name}=${attr.value}`);
        }
      }
      for (const el of document.querySelectorAll("iframe, frame, frameset, object, embed, applet, base, svg, math, img, video, audio, template, marquee, meta[http-equiv], body link, body style")) {
        problems.push(`an injected <${el.tagName}>`);
      }
      for (const script of document.querySelectorAll("script")) {
        if (!["/assets/comments.js", "/admin/admin.js"].includes(script.getAttribute("src") ?? "") && script.type !== "application/ld+json") problems.push(`a script: ${script.outerHTML.slice(0, 80)}`);
      }
      const root = document.querySelector(rootSelector);
      for (const el of root?.querySelectorAll("*") ?? []) {
        if (!tags.includes(el.tagName)) problems.push(`<${el.tagName}> in ${rootSelector}`);
        for (const attr of el.attributes) if (!attributes.includes(attr.name)) problems.push(`${attr.name} on <${el.tagName}> in ${rootSelector}`);
        // Links go to http(s) only, or (a comment's permalink) to a comment's own fragment.
        if (el instanceof HTMLAnchorElement && !/^(?:https?:\/\/|#comment-[A-Za-z0-9_-]+$)/.test(el.getAttribute("href") ?? "")) problems.push(`a link to ${el.getAttribute("href")}`);
      }
      return problems;
    }, { rootSelector, tags, attributes });
  }

  /**
   * Each published comment is in the page with its name and website exactly as written, and the words of its text
   * exactly as the worker's renderer published them (its Markdown or WordPress tags drawn, everything else text).
   */
  async function mismatches(page: Page): Promise<string[]> {
    const drawn = await page.evaluate(() =>
      [...document.querySelectorAll("#comment-thread li.comment")].map((li) => ({
        // `:scope > article`: the comment's own parts, not those of its replies nested in the same <li>.
        id: li.id.replace(/^comment-/, ""),
        author: li.querySelector(":scope > article .comment-author")?.textContent ?? "",
        href: li.querySelector(":scope > article .comment-author a")?.getAttribute("href") ?? null,
        text: li.querySelector(":scope > article .comment-content")?.textContent ?? "",
      })));
    const byId = new Map(drawn.map((d) => [d.id, d]));
    const squash = (s: string) => s.replace(/\s+/g, "");
    const problems: string[] = [];
    for (const c of published) {
      const d = byId.get(c.id);
      if (!d) problems.push(`${c.id} is missing`);
      else if (d.author !== c.author) problems.push(`${c.id}: name shown as ${JSON.stringify(d.author)}`);
      else if (d.href !== (c.website ? new URL(c.website).href : null)) problems.push(`${c.id}: website link ${d.href}`);
      else if (squash(d.text) !== squash(textOf(c.content))) problems.push(`${c.id}: text shown as ${JSON.stringify(d.text.slice(0, 80))}`);
    }
    return problems;
  }

  it(`shows all ${PAYLOADS.length} payloads, as Markdown and as imported WordPress HTML, inert through the comment script, and nothing runs`, async () => {
    const url = `${site.url}/posts/${POST}/`;
    const { page, events } = await open(url);
    await page.waitForLoadState("networkidle");
    await expect.poll(() => page.locator(".comment-reply:not([hidden])").count()).toBeGreaterThan(0);
    // Give timers, onload/onerror/ontoggle/autofocus handlers a chance, and hover every comment for mouse handlers.
    for (const item of await page.locator("li.comment").all()) await item.hover({ trial: false, force: true }).catch(() => {});
    await page.waitForTimeout(300);
    expect(await injectedIn(page, "#comment-thread", THREAD_TAGS, THREAD_ATTRIBUTES)).toEqual([]);
    expect(await mismatches(page)).toEqual([]);
    expect(events).toEqual([]);
    await page.context().close();
  });

  it("serves the same thread inert in the static HTML, for readers without JavaScript", async () => {
    const { page, events } = await open(`${site.url}/posts/${POST}/`, false);
    expect(await page.locator("#comment-thread li.comment").count()).toBe(2 * PAYLOADS.length);
    expect(await injectedIn(page, "#comment-thread", THREAD_TAGS, THREAD_ATTRIBUTES)).toEqual([]);
    expect(await mismatches(page)).toEqual([]);
    expect(events).toEqual([]);
    await page.context().close();
  });

  it("keeps a right-to-left override in a name from reordering the date beside it", async () => {
    const { page } = await open(`${site.url}/posts/${POST}/`);
    const rtl = published.find((c) => c.author.includes("\u202e"));
    expect(rtl).toBeDefined();
    const bidi = await page.locator(`#comment-${rtl!.id} .comment-author`).evaluate((el) => getComputedStyle(el).unicodeBidi);
    expect(["isolate", "isolate-override", "plaintext"]).toContain(bidi);
    await page.context().close();
  });

  it("never turns javascript:, data: or any other non-http(s) address into a link, even if the service sent one", async () => {
    const tricks = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "\u0001javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "jav&#x09;ascript:alert(1)", "//evil.example/x", "/relative", "ftp://example.org/", "mailto:a@example.org"];
    // A content tree no worker would publish: the script must draw only allow-listed tags, attributes and http(s) links.
    const content = (website: string): MarkupNode[] => [
      { tag: "p", attrs: { onclick: "alert(1)", style: "x" }, children: [{ tag: "a", attrs: { href: website, onmouseover: "alert(1)" }, children: [website] }] },
      { tag: "img", attrs: { src: "x", onerror: "alert(1)" }, children: [] }, { tag: "script", attrs: {}, children: ["alert(1)"] },
      { tag: "iframe", attrs: { src: website }, children: [] }, { tag: "abbr", attrs: { title: "t", onclick: "alert(1)" }, children: ["t"] },
    ];
    const thread = tricks.map((website, i) => ({
      id: `trick-${i}`, parentId: null, author: `Trick ${i}`, website, body: `${website} and ${website.toUpperCase()}`, content: content(website), createdAt: "2026-02-01T10:00:00.000Z",
    }));
    const context = await browser.newContext();
    await context.route(`${worker.url}/api/comments?post=${OTHER_POST}`, (route) =>
      route.fulfill({ status: 200, contentType: "application/json", headers: { "access-control-allow-origin": siteUrl }, body: JSON.stringify({ post: OTHER_POST, count: thread.length, comments: thread }) }));
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${site.url}/posts/${OTHER_POST}/`);
    await expect.poll(() => page.locator("#comment-thread li.comment").count()).toBe(tricks.length);
    expect(await page.locator("#comment-thread .comment-author a").count()).toBe(0);
    const hrefs = await page.locator("#comment-thread .comment-author a, #comment-thread .comment-content a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(hrefs.filter((href) => !/^https?:\/\//.test(href ?? ""))).toEqual([]);
    expect(await injectedIn(page, "#comment-thread", THREAD_TAGS, THREAD_ATTRIBUTES)).toEqual([]);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it("refuses to store a javascript: or data: website at all", async () => {
    for (const website of ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "JAVASCRIPT:alert(1)", "http:alert(1)"]) {
      const item = { id: "refused", post: POST, author: "A", email: null, website, body: "B", createdAt: "2026-01-01T00:00:00Z" };
      const response = await admin("/import", { method: "POST", body: JSON.stringify([item]) });
      expect(response.status, website).toBe(422);
    }
    expect((await admin("/comments/refused")).status).toBe(404);
  });

  it("shows the same payloads, pending, as plain text on the moderator's /admin page", async () => {
    const { page, events } = await open(`${worker.url}/admin`);
    await page.fill("#token", worker.token);
    await page.click("#sign-in button[type=submit]");
    const shown = () => page.locator("#comments > li").count();
    await expect.poll(shown).toBeGreaterThan(0);
    // A server that pages the queue shows the rest behind "Show more".
    while (await page.locator("#more").isVisible()) {
      const before = await shown();
      await page.click("#more");
      await expect.poll(shown).toBeGreaterThan(before);
    }
    await expect.poll(shown).toBe(PAYLOADS.length);
    await page.waitForTimeout(300);
    expect(await injectedIn(page, "#comments", ADMIN_TAGS, ADMIN_ATTRIBUTES)).toEqual([]);
    const bodies = await page.locator("#comments .body").allTextContents();
    expect(bodies.sort()).toEqual(published.filter((c) => !c.id.startsWith("xss-html-")).map((c) => c.body).sort());
    expect(events).toEqual([]);
    await page.context().close();
  });
});
