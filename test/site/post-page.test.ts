// What a reader gets on a post page: the post's full text as published, the old byline, the comments form,
// and the metadata search engines and link previews read.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSite, FIXTURES, type BuiltSite } from "./build-site.ts";
import { parsePage, type Page } from "./html.ts";

const ENV = { SITE_URL: "https://blog.example.org", COMMENTS_API_URL: "https://comments.example.org" };

/** Collapses white space (including the no-break spaces the old site had) the same way for seed and page. */
const normalise = (text: string): string => text.replace(/\s+/g, " ").trim();

/** The body paragraphs of a seed file: the non-empty lines between `from` and `to`. */
function seedLines(seed: string, from: string, to: string): string[] {
  const text = readFileSync(join(FIXTURES, "seeds", `${seed}.txt`), "utf8");
  const body = text.slice(text.indexOf(from), text.indexOf(to));
  return body.split("\n").map(normalise).filter(Boolean);
}

let site: BuiltSite;
let system: Page;
let local: Page;

beforeAll(async () => {
  site = await buildSite({ env: ENV });
  system = parsePage(site.read("/posts/system-leadership-matters/"));
  local = parsePage(site.read("/posts/local-leadership-capabilities/"));
});

describe("/posts/system-leadership-matters/", () => {
  it("shows the site header, the title and the old byline with its date", () => {
    expect(system.text(".site-header .site-title")).toBe("Leadership Academy");
    expect(system.text("h1")).toBe("System leadership matters");
    expect(system.text(".byline")).toBe("Posted by: Jan Sobieraj - Posted on: 24 September 2012");
    expect(system.attr(".byline time", "datetime")).toBe("2012-09-24");
  });

  it("shows the seed's introduction text as the standfirst", () => {
    expect(system.text(".standfirst")).toBe(
      "The transformational agenda is a challenge for all of us who work in the health sector.",
    );
  });

  it("carries every paragraph of the seed verbatim, curly quotes, dashes and run-on sentences included", () => {
    const lines = seedLines("system-leadership-matters", "Developing a comprehensive", "For more information");
    const body = normalise(system.text(".post-body"));
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(body).toContain(line);
    expect(body).toContain("system leadership.My conclusion");
    expect(body).toContain("system leadership – something");
  });

  it("keeps the contact sentence but says the lost address is lost instead of inventing one", () => {
    const last = system.findAll(".post-body p").at(-1);
    expect(last && normalise(last.textContent)).toBe(
      "For more information contact [email address lost when the original page was archived]",
    );
    expect(system.text(".post-body")).not.toMatch(/@|email protected/);
  });
});

describe("/posts/local-leadership-capabilities/", () => {
  it("carries every paragraph of the seed verbatim", () => {
    const lines = seedLines("local-leadership-capabilities", "There has been lots", "1 reply on");
    const body = normalise(local.text(".post-body"));
    expect(lines).toHaveLength(10);
    for (const line of lines) expect(body).toContain(line);
  });

  it("keeps the seed's line break inside a paragraph as a line break, not a new paragraph", () => {
    expect(site.read("/posts/local-leadership-capabilities/")).toContain("where it would come from.<br>\nSo what we have");
  });

  it("has no standfirst (the seed has no introduction) and the byline of 20 August 2012", () => {
    expect(local.findAll(".standfirst")).toHaveLength(0);
    expect(local.text(".byline")).toBe("Posted by: Jan Sobieraj - Posted on: 20 August 2012");
  });

  it("leaves the reader's reply out of the post: it is a comment (comments/seed.json)", () => {
    expect(local.text("main")).not.toContain("Absolutely agree");
    expect(local.text("main")).not.toContain("Richard Jones");
  });

  it("links the post's topics to their tag pages", () => {
    const links = local.findAll(".post-tags a").map((a) => a.getAttribute("href")?.value);
    expect(links).toEqual(["/tags/leadership-development/", "/tags/talent-management/"]);
  });
});

describe("a post page's comments section", () => {
  it("names the post for the client script and the worker", () => {
    expect(local.attr("#comments", "data-post")).toBe("local-leadership-capabilities");
    expect(local.attr("#comments", "data-post-title")).toBe("Local leadership capabilities");
    expect(local.attr('#comment-form input[name="post"]', "value")).toBe("local-leadership-capabilities");
    expect(local.attr('#comment-form input[name="parentId"]', "value")).toBe("");
  });

  it("posts a real form to the comment service from COMMENTS_API_URL, so it works without JavaScript", () => {
    expect(local.attr("#comment-form", "action")).toBe("https://comments.example.org/api/comments");
    expect(local.attr("#comment-form", "method")).toBe("post");
    expect(local.attr("body", "data-comments-api")).toBe("https://comments.example.org");
  });

  it("asks for Comment, Name and Email (required) and Website (optional), each with its label", () => {
    const fields = [
      ["comment-body", "body", "Comment *", true],
      ["comment-author", "author", "Name *", true],
      ["comment-email", "email", "Email *", true],
      ["comment-website", "website", "Website", false],
    ] as const;
    for (const [id, name, label, required] of fields) {
      expect(local.text(`label[for="${id}"]`)).toBe(label);
      expect(local.attr(`#${id}`, "name")).toBe(name);
      expect(local.attr(`#${id}`, "required")).toBe(required ? "" : null);
    }
    expect(local.text("#reply-title")).toBe("Leave a Comment");
    expect(local.text(".comment-notes")).toBe(
      "Your email address will not be published. Required fields are marked *",
    );
    expect(local.text('#comment-form button[type="submit"]')).toBe("Post Comment");
  });

  it("tells readers, beside the comment box, which Markdown they can use and that HTML is shown as typed", () => {
    expect(local.attr("#comment-body", "aria-describedby")).toBe("comment-body-hint");
    expect(local.text("#comment-body-hint")).toBe(
      "You can use Markdown: **bold**, *italic*, `code`, lists (- or 1.), > quotes and [links](https://…). HTML is shown as you type it.",
    );
  });

  it("has a honeypot field named reference that keyboard and screen reader users never reach", () => {
    expect(local.attr("#comment-reference", "name")).toBe("reference");
    expect(local.attr("#comment-reference", "tabindex")).toBe("-1");
    expect(local.attr(".hp", "aria-hidden")).toBe("true");
  });

  it("has the pending notice the no-JavaScript redirect targets and the status region, and needs no noscript line", () => {
    expect(local.text("#comment-submitted")).toBe("Thank you. Your comment is awaiting moderation.");
    expect(local.attr("#comment-status", "aria-live")).toBe("polite");
    // Approved comments are in the HTML itself: nothing needs JavaScript to be read.
    expect(local.findAll("noscript")).toHaveLength(0);
  });

  it("loads the comment script as a module (deferred), so reading never waits for it", () => {
    expect(local.attr('script[src="/assets/comments.js"]', "type")).toBe("module");
  });
});

describe("a post page's head", () => {
  it("declares British English and an absolute canonical URL from SITE_URL", () => {
    expect(local.attr("html", "lang")).toBe("en-GB");
    expect(local.attr('link[rel="canonical"]', "href")).toBe(
      "https://blog.example.org/posts/local-leadership-capabilities/",
    );
  });

  it("describes the post with its intro, or its first paragraph when it has none", () => {
    expect(system.attr('meta[name="description"]', "content")).toBe(
      "The transformational agenda is a challenge for all of us who work in the health sector.",
    );
    expect(local.attr('meta[name="description"]', "content")).toBe(
      "There has been lots of talk recently of the importance of standardising health leadership in the NHS and I’m sure there will be much more going forward.",
    );
  });

  it("gives link previews an OpenGraph article", () => {
    expect(system.attr('meta[property="og:type"]', "content")).toBe("article");
    expect(system.attr('meta[property="og:title"]', "content")).toBe("System leadership matters");
    expect(system.attr('meta[property="og:url"]', "content")).toBe(
      "https://blog.example.org/posts/system-leadership-matters/",
    );
    expect(system.attr('meta[property="og:locale"]', "content")).toBe("en_GB");
    expect(system.attr('meta[property="article:published_time"]', "content")).toBe("2012-09-24T00:00:00.000Z");
  });

  it("gives search engines a BlogPosting in JSON-LD", () => {
    const json = JSON.parse(system.find('script[type="application/ld+json"]').textContent) as Record<string, unknown>;
    expect(json).toMatchObject({
      "@context": "https://schema.org",
      "@type": "BlogPosting",
      headline: "System leadership matters",
      datePublished: "2012-09-24T00:00:00.000Z",
      author: { "@type": "Person", name: "Jan Sobieraj" },
      url: "https://blog.example.org/posts/system-leadership-matters/",
      inLanguage: "en-GB",
    });
  });

  it("advertises the Atom and JSON feeds", () => {
    expect(system.attr('link[type="application/atom+xml"]', "href")).toBe("/feed.xml");
    expect(system.attr('link[type="application/feed+json"]', "href")).toBe("/feed.json");
  });
});
