import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Comment } from "../../client/api.ts";
import { loadBuildComments, readWantedVersion } from "../../site/comments-data.ts";
import { textRevision } from "../../worker/publish/thread.ts";

const API = "https://comments.example.org";
const comment = (id: string, overrides: Partial<Comment> = {}): Comment => {
  const made = { id, parentId: null, author: "Ada", website: null, body: "Hello", content: [{ tag: "p", attrs: {}, children: ["Hello"] }], createdAt: "2026-01-02T03:04:05.000Z", ...overrides };
  return { ...made, revision: textRevision(made.body) };
};

function answer(threads: Record<string, Comment[]>, version = 1): typeof fetch {
  const posts = Object.fromEntries(Object.entries(threads).map(([slug, comments]) => [slug, { title: slug, url: `/posts/${slug}/`, count: comments.length, comments }]));
  return async () => Response.json({ version, posts });
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
    expect(loaded.version).toBe(1);
    expect(loaded.threads).toEqual({ a: [comment("1")], b: [] });
    expect(JSON.parse(readFileSync(snapshotPath, "utf8"))).toMatchObject({ version: 1, threads: loaded.threads });
    expect(messages.join("\n")).toContain("1 approved comments, publication version 1, from https://comments.example.org");
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
    expect(messages.at(-1)).toMatch(/could not be reached \(fetch failed\): using the snapshot saved .* \(version 1, 2 comments\)/);
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
    expect(loaded).toMatchObject({ source: "none", savedAt: null, version: 0, threads: {} });
    expect(messages.at(-1)).toContain("there is no snapshot");
    expect(existsSync(snapshotPath)).toBe(false);
  });

  it("takes an empty answer at the snapshot's version or later as the truth: the site may have no comments left", async () => {
    const { snapshotPath, log } = setup();
    await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [comment("1")] }, 4) });
    const loaded = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [] }, 5) });
    expect(loaded).toMatchObject({ source: "service", version: 5, threads: { a: [] } });
    expect(JSON.parse(readFileSync(snapshotPath, "utf8"))).toMatchObject({ version: 5, threads: { a: [] } });
  });

  it("keeps the snapshot over an answer older than it, so nothing it had withdrawn comes back", async () => {
    const { snapshotPath, messages, log } = setup();
    await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [] }, 5) });
    const loaded = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [comment("withdrawn")] }, 4) });
    expect(loaded).toMatchObject({ source: "snapshot", version: 5, threads: { a: [] } });
    expect(messages.at(-1)).toContain("older than the snapshot's 5");
  });

  it("lets any answer win over a snapshot saved before there were versions", async () => {
    const { snapshotPath, log } = setup();
    writeFileSync(snapshotPath.replace("/nested/comments.json", "/old.json"), JSON.stringify({ savedAt: "2026-01-01T00:00:00.000Z", threads: { a: [comment("1")] } }));
    const loaded = await loadBuildComments({ apiUrl: API, snapshotPath: snapshotPath.replace("/nested/comments.json", "/old.json"), log, fetchImpl: answer({ a: [] }, 0) });
    expect(loaded).toMatchObject({ source: "service", threads: { a: [] } });
  });

  it("reports a thread that moderators emptied while others remain", async () => {
    const { snapshotPath, messages, log } = setup();
    await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [comment("1")], b: [comment("2")] }) });
    const loaded = await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [], b: [comment("2")] }) });
    expect(loaded.threads.a).toEqual([]);
    expect(messages.join("\n")).toContain("a: its 1 published comments were all removed since the last build");
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

describe("loadBuildComments asked to bake a version (COMMENTS_VERSION)", () => {
  /** A service that answers the versions given, one per request (the last one from then on). */
  function versions(...answered: Array<number | "down">): { fetchImpl: typeof fetch; requests: () => number } {
    let requests = 0;
    const fetchImpl: typeof fetch = async (input, init) => {
      const version = answered[Math.min(requests++, answered.length - 1)]!;
      if (version === "down") throw new TypeError("fetch failed");
      return answer({ a: version >= 3 ? [] : [comment("1")] }, version)(input, init);
    };
    return { fetchImpl, requests: () => requests };
  }
  const fakeTime = () => {
    let now = 0;
    return { now: () => now, sleep: async (ms: number) => void (now += ms) };
  };

  it("waits for an answer at the version or later, then bakes it", async () => {
    const { snapshotPath, messages, log } = setup();
    const service = versions("down", 2, 3);
    const loaded = await loadBuildComments({ apiUrl: API, snapshotPath, log, wantVersion: 3, ...fakeTime(), fetchImpl: service.fetchImpl });
    expect(service.requests()).toBe(3);
    expect(loaded).toMatchObject({ source: "service", version: 3, threads: { a: [] } });
    expect(messages.join("\n")).toContain("Waiting for publication version 3");
  });

  it("fails the build with a clear message when the version never comes, and never falls back to the snapshot", async () => {
    const { snapshotPath, log } = setup();
    await loadBuildComments({ apiUrl: API, snapshotPath, log, fetchImpl: answer({ a: [comment("1")] }, 2) });
    const service = versions(2);
    await expect(loadBuildComments({ apiUrl: API, snapshotPath, log, wantVersion: 3, waitMs: 90_000, pollMs: 2_000, ...fakeTime(), fetchImpl: service.fetchImpl }))
      .rejects.toThrow(/asked to bake publication version 3 \(COMMENTS_VERSION\), but after 90 s .* it answered version 2/);
    expect(service.requests()).toBeGreaterThan(40);
    expect(service.requests()).toBeLessThanOrEqual(46);
    const down = versions("down");
    await expect(loadBuildComments({ apiUrl: API, snapshotPath, log, wantVersion: 3, ...fakeTime(), fetchImpl: down.fetchImpl })).rejects.toThrow(/could not be reached \(fetch failed\)/);
  });
});

describe("readWantedVersion", () => {
  it("reads COMMENTS_VERSION, and treats it unset or empty as no version wanted", () => {
    expect(readWantedVersion({ COMMENTS_VERSION: "12" })).toBe(12);
    expect(readWantedVersion({ COMMENTS_VERSION: "" })).toBeUndefined();
    expect(readWantedVersion({})).toBeUndefined();
  });

  it("reads the version from the file npm start's hook writes when COMMENTS_VERSION is not set", () => {
    const file = join(mkdtempSync(join(tmpdir(), "want-")), "comments-changed");
    writeFileSync(file, JSON.stringify({ version: 7, at: "2026-12-01T00:00:00.000Z" }));
    expect(readWantedVersion({ COMMENTS_VERSION_FILE: file })).toBe(7);
    expect(readWantedVersion({ COMMENTS_VERSION_FILE: `${file}.missing` })).toBeUndefined();
  });

  it("stops the build, naming the setting, for a value that is not a whole number", () => {
    expect(() => readWantedVersion({ COMMENTS_VERSION: "3.5" })).toThrow('COMMENTS_VERSION: the publication version to bake must be a whole number (the hook\'s client_payload.version), not "3.5".');
  });
});
