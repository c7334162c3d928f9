import { describe, expect, it } from "vitest";
import type { AdminComment } from "../../../worker/publish/kv-store.ts";
import { buildThread, textRevision, toPublicComment, withContent } from "../../../worker/publish/thread.ts";

function record(id: string, overrides: Partial<AdminComment> = {}): AdminComment {
  return {
    id, post: "p", parentId: null, author: "A", email: "secret@example.org", website: null, body: "B",
    createdAt: "2026-01-01T00:00:00.000Z", status: "approved", moderatedAt: "2026-01-02T00:00:00.000Z", ...overrides,
  };
}

describe("toPublicComment", () => {
  it("keeps only what readers may see", () => {
    expect(toPublicComment(record("a", { website: "https://a.example" }))).toEqual({
      id: "a", parentId: null, author: "A", website: "https://a.example", body: "B",
      content: [{ tag: "p", attrs: {}, children: ["B"] }], createdAt: "2026-01-01T00:00:00.000Z", revision: textRevision("B"),
    });
  });

  it("gives each comment a revision that changes with its text, and only with its text", () => {
    const revision = toPublicComment(record("a")).revision;
    expect(toPublicComment(record("a", { author: "Other" })).revision).toBe(revision);
    expect(toPublicComment(record("a", { body: "B, edited" })).revision).not.toBe(revision);
  });

  it("renders the text as Markdown, or as WordPress HTML for a comment imported in that format", () => {
    expect(toPublicComment(record("a", { body: "**<b>x</b>**" })).content).toEqual([{ tag: "p", attrs: {}, children: [{ tag: "strong", attrs: {}, children: ["<b>x</b>"] }] }]);
    expect(toPublicComment(record("a", { body: "**<b>x</b>**", format: "html" })).content).toEqual([{ tag: "p", attrs: {}, children: ["**", { tag: "strong", attrs: {}, children: ["x"] }, "**"] }]);
  });

  it("marks a comment written by the blog, and no other", () => {
    expect(toPublicComment(record("a", { byBlog: true })).byBlog).toBe(true);
    expect(toPublicComment(record("a", { byBlog: false }))).not.toHaveProperty("byBlog");
    expect(toPublicComment(record("a"))).not.toHaveProperty("byBlog");
  });

  it("never publishes the text's format", () => {
    expect(toPublicComment(record("a", { format: "html" }))).not.toHaveProperty("format");
  });
});

describe("withContent", () => {
  it("renders a comment published before comments had a content tree", () => {
    const { content, ...old } = toPublicComment(record("a", { body: "*old*" }));
    expect(withContent(old).content).toEqual(content);
  });

  it("leaves a comment that has its tree as it is", () => {
    const comment = toPublicComment(record("a", { body: "*new*" }));
    expect(withContent(comment)).toBe(comment);
  });
});

describe("buildThread", () => {
  it("publishes only the post's approved comments, oldest first", () => {
    const records = [
      record("late", { createdAt: "2026-03-01T00:00:00.000Z" }),
      record("pending", { status: "pending" }),
      record("rejected", { status: "rejected" }),
      record("other-post", { post: "q" }),
      record("early", { createdAt: "2025-01-01T00:00:00.000Z" }),
    ];
    expect(buildThread(records, "p").map((c) => c.id)).toEqual(["early", "late"]);
  });

  it("orders comments made in the same millisecond by id", () => {
    expect(buildThread([record("b"), record("a")], "p").map((c) => c.id)).toEqual(["a", "b"]);
  });

  it("keeps a reply under a published parent and lifts one whose parent is not published", () => {
    const records = [
      record("parent"),
      record("reply", { parentId: "parent", createdAt: "2026-01-03T00:00:00.000Z" }),
      record("hidden-parent", { status: "rejected" }),
      record("orphan", { parentId: "hidden-parent", createdAt: "2026-01-04T00:00:00.000Z" }),
    ];
    expect(buildThread(records, "p").map((c) => [c.id, c.parentId])).toEqual([["parent", null], ["reply", "parent"], ["orphan", null]]);
  });
});
