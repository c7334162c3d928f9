// comments/seed.json: the old site's one reader reply, kept for the comment service to import.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, ROOT } from "./build-site.ts";

const seed = JSON.parse(readFileSync(join(ROOT, "comments/seed.json"), "utf8")) as Record<string, unknown>[];
const manifestPosts = ["local-leadership-capabilities", "system-leadership-matters"];

describe("comments/seed.json", () => {
  it("holds Dr Richard Jones's reply to Local leadership capabilities, verbatim from the old page", () => {
    const page = readFileSync(join(FIXTURES, "seeds/local-leadership-capabilities.txt"), "utf8");
    const reply = page.split("\n").find((line) => line.includes("Absolutely agree."));
    expect(seed).toHaveLength(1);
    expect(seed[0]).toMatchObject({
      id: "wp-1",
      post: "local-leadership-capabilities",
      parentId: null,
      author: "Dr Richard Jones",
      email: null,
      website: null,
      body: reply?.replace(/^\s*•\s*/, ""),
    });
    expect(manifestPosts).toContain(seed[0]?.post);
  });

  it("dates the reply in 2012, after the post it answers (2012-08-20)", () => {
    const createdAt = new Date(String(seed[0]?.createdAt));
    expect(createdAt.toISOString()).toBe(seed[0]?.createdAt);
    expect(createdAt > new Date("2012-08-20T00:00:00Z") && createdAt.getUTCFullYear() === 2012).toBe(true);
  });

  it("uses the export format's keys and nothing else", () => {
    expect(Object.keys(seed[0] ?? {}).sort()).toEqual(
      ["author", "body", "createdAt", "email", "id", "moderatedAt", "parentId", "post", "status", "website"].sort(),
    );
  });
});
