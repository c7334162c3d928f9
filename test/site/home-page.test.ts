// What a reader gets on the home page: every post, newest first, with enough to choose one.
import { beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "./build-site.ts";
import { parsePage, textOf, type Page } from "./html.ts";

let home: Page;

beforeAll(async () => {
  const site = await buildSite({ env: { SITE_URL: "https://blog.example.org" } });
  home = parsePage(site.read("/"));
});

describe("the home page", () => {
  it("lists the posts newest first", () => {
    const titles = home.findAll(".post-summary h2").map(textOf);
    expect(titles).toEqual(["System leadership matters", "Local leadership capabilities"]);
  });

  it("gives each post its link, author, date and summary (the intro, else the first paragraph)", () => {
    const [system, local] = home.findAll(".post-summary");
    expect(system?.querySelector("h2 a")?.getAttribute("href")?.value).toBe("/posts/system-leadership-matters/");
    expect(textOf(system!.querySelector(".byline")!)).toBe("Posted by: Jan Sobieraj - Posted on: 24 September 2012");
    expect(textOf(system!.querySelectorAll("p")[1]!)).toBe(
      "The transformational agenda is a challenge for all of us who work in the health sector.",
    );
    expect(textOf(local!.querySelector(".byline")!)).toBe("Posted by: Jan Sobieraj - Posted on: 20 August 2012");
    expect(textOf(local!.querySelectorAll("p")[1]!)).toMatch(/^There has been lots of talk recently/);
  });

  it("carries a hidden comment-count link per post for the client script to fill in", () => {
    const counts = home.findAll("a.comment-count");
    expect(counts.map((a) => a.getAttribute("data-comment-count")?.value)).toEqual([
      "system-leadership-matters",
      "local-leadership-capabilities",
    ]);
    expect(counts.map((a) => a.getAttribute("href")?.value)).toEqual([
      "/posts/system-leadership-matters/#comments",
      "/posts/local-leadership-capabilities/#comments",
    ]);
    expect(counts.every((a) => a.hasAttribute("hidden"))).toBe(true);
  });

  it("has a skip link to the main landmark, and header, navigation and footer landmarks", () => {
    expect(home.attr(".skip-link", "href")).toBe("#main");
    expect(home.find("main").id).toBe("main");
    expect(home.findAll("body > header, body > footer, nav")).toHaveLength(3);
  });

  it("describes itself to link previews as the website, with an absolute canonical URL", () => {
    expect(home.attr('link[rel="canonical"]', "href")).toBe("https://blog.example.org/");
    expect(home.attr('meta[property="og:type"]', "content")).toBe("website");
    expect(home.findAll('script[type="application/ld+json"]')).toHaveLength(0);
  });
});
