import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Comment } from "../../client/api.ts";
import { loadBuildComments } from "../../site/comments-data.ts";

const API = "https://comments.example.org";
const comment = (id: string, overrides: Partial<Comment> = {}): Comment => ({
  id, parentId: null, author: "Ada", website: null, body: "Hello", content: [{ tag: "p", attrs: {}, children: ["Hello"] }], createdAt: "2026-01-02T03:04:05.000Z", ...overrides,
});

function answer(threads: Record<string, Comment[]>): typeof fetch {
  const posts = Object.fromEntries(Object.entries(threads).map(([slug, comments]) => [slug, { title: slug, url: `/posts/${slug}/`, count: comments.length, comments }]));
  return async () => Response.json({ posts });
}
const unreachable: typeof fetch = async () => {
  throw new TypeError("fetch failed");
};

function setup() {
  const snapshotPath = join(mkdtempSync(join(tmpdir(), "snapshot-")), "nested", "comments.json");
  const messages: string[] = [];
  return { snapshotPath, messages, log: (message: string) => void messages.push(message) };
}

describe("loadBuildComments", () => {
  it("takes every published thread from one request and saves it as the snapshot", async () => {
    const { snapshotPath, messages, log } = setup();
    let requests = 0;
    const fetchImpl: typeof fetch = async (input, init) => {
      requests++;
      expect(String(input)).toBe(`${API}/api/comments/all`);
      return answer({ a: [comment("1")], b: [] })(input, init);
    };
    const loaded = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl });
    expect(requests).toBe(1);
    expect(loaded.source).toBe("service");
    expect(loaded.threads).toEqual({ a: [comment("1")], b: [] });
    expect(JSON.parse(readFileSync(snapshotPath, "utf8")).threads).toEqual(loaded.threads);
    expect(messages.join("\n")).toContain("1 approved comments from https://comments.example.org");
  });

  it("gives a comment from an older service or snapshot, without a content tree, the one the worker would give", async () => {
    const { snapshotPath, log } = setup();
    const { content: _, ...old } = comment("1", { body: "**old**" });
    const loaded = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [old] }) });
    expect(loaded.threads.a?.[0]?.content).toEqual([{ tag: "p", attrs: {}, children: [{ tag: "strong", attrs: {}, children: ["old"] }] }]);
    writeFileSync(snapshotPath, JSON.stringify({ savedAt: "2026-01-01T00:00:00.000Z", threads: { a: [old] } }));
    const fallback = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: unreachable });
    expect(fallback.threads.a?.[0]?.content).toEqual(loaded.threads.a?.[0]?.content);
  });

  it("uses the last snapshot when the service cannot be reached, and says so", async () => {
    const { snapshotPath, messages, log } = setup();
    await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [comment("1"), comment("2")] }) });
    const loaded = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: unreachable });
    expect(loaded.source).toBe("snapshot");
    expect(loaded.threads.a).toHaveLength(2);
    expect(messages.at(-1)).toMatch(/could not be reached \(fetch failed\): using the snapshot saved .* \(2 comments\)/);
  });

  it("falls back to the snapshot when the service answers an error or something malformed", async () => {
    const { snapshotPath, messages, log } = setup();
    await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [comment("1")] }) });
    const broken = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: async () => new Response("oops", { status: 503 }) });
    expect(broken).toMatchObject({ source: "snapshot", threads: { a: [comment("1")] } });
    expect(messages.at(-1)).toContain("answered 503");
    const malformed = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: async () => Response.json({ posts: { a: { comments: [{ id: 1 }] } } }) });
    expect(malformed.source).toBe("snapshot");
    expect(messages.at(-1)).toContain("not the expected shape");
  });

  it("builds with empty threads when there is neither a service nor a snapshot, and says so", async () => {
    const { snapshotPath, messages, log } = setup();
    const loaded = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: unreachable });
    expect(loaded).toEqual({ source: "none", savedAt: null, threads: {} });
    expect(messages.at(-1)).toContain("there is no snapshot");
    expect(existsSync(snapshotPath)).toBe(false);
  });

  it("never replaces published threads with an empty answer without being told to", async () => {
    const { snapshotPath, messages, log } = setup();
    await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [comment("1")] }) });
    const loaded = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [] }) });
    expect(loaded).toMatchObject({ source: "snapshot", threads: { a: [comment("1")] } });
    expect(messages.at(-1)).toContain("WARNING");
    expect(JSON.parse(readFileSync(snapshotPath, "utf8")).threads.a).toHaveLength(1);
  });

  it("reports a thread that moderators emptied while others remain", async () => {
    const { snapshotPath, messages, log } = setup();
    await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [comment("1")], b: [comment("2")] }) });
    const loaded = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [], b: [comment("2")] }) });
    expect(loaded.threads.a).toEqual([]);
    expect(messages.join("\n")).toContain("a: its 1 published comments were all removed by moderators");
  });

  it("rewrites the snapshot only when the threads changed", async () => {
    const { snapshotPath, log } = setup();
    await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [comment("1")] }) });
    writeFileSync(snapshotPath, readFileSync(snapshotPath, "utf8").replace(/"savedAt": "[^"]+"/, '"savedAt": "marker"'));
    const same = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [comment("1")] }) });
    expect(same.savedAt).toBe("marker");
    const changed = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [comment("1"), comment("2")] }) });
    expect(changed.savedAt).not.toBe("marker");
  });
});
