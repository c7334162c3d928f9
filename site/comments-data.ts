// The approved comments the build puts into the pages (readable without JavaScript). One request to the comment
// service's public `GET /api/comments/all` per build, whatever the number of posts; public data only (no email, no
// unapproved comment can be in it). Every good answer is saved as a snapshot, and the build falls back to
// the snapshot when the service cannot be reached, so a build never fails, and never silently empties a
// thread, because the service is down.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import * as v from "valibot";
import type { Comment } from "../client/api.ts";
import type { MarkupNode } from "../client/markup.ts";
import { withContent } from "../worker/publish/thread.ts";

export const DEFAULT_SNAPSHOT = ".cache/comments-snapshot.json";
export const FETCH_TIMEOUT_MS = 5_000;

// The shape of a content tree; which tags and attributes may be drawn is decided when it is drawn (cleanContent).
const MarkupNodeSchema: v.GenericSchema<MarkupNode> = v.union([
  v.string(),
  v.object({ tag: v.string(), attrs: v.record(v.string(), v.string()), children: v.array(v.lazy(() => MarkupNodeSchema)) }),
]);
const CommentSchema = v.object({
  id: v.string(),
  parentId: v.nullable(v.string()),
  author: v.string(),
  website: v.nullable(v.string()),
  body: v.string(),
  content: v.optional(v.array(MarkupNodeSchema)),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  byBlog: v.optional(v.literal(true)),
});
const AllThreadsSchema = v.object({
  posts: v.record(v.string(), v.object({ comments: v.array(CommentSchema) })),
});

/** Each post's approved comments, oldest first, and where they came from. */
export interface BuildComments {
  source: "service" | "snapshot" | "none";
  savedAt: string | null;
  threads: Record<string, Comment[]>;
}

interface Snapshot {
  savedAt: string;
  threads: Record<string, Comment[]>;
}

export interface LoadOptions {
  apiUrl: string;
  snapshotPath: string;
  log?: (message: string) => void;
  fetchImpl?: typeof fetch;
}

// A comment from a snapshot (or a worker) older than content trees gets one, as the worker gives old threads on read.
const withContents = (threads: Record<string, Comment[]>) =>
  Object.fromEntries(Object.entries(threads).map(([slug, thread]) => [slug, thread.map(withContent)]));
const total = (threads: Record<string, Comment[]>) => Object.values(threads).reduce((n, t) => n + t.length, 0);

function readSnapshot(path: string): Snapshot | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Snapshot;
  } catch {
    return null;
  }
}

async function fetchThreads(apiUrl: string, fetchImpl: typeof fetch): Promise<Record<string, Comment[]>> {
  const response = await fetchImpl(`${apiUrl}/api/comments/all`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`the service answered ${response.status}`);
  const parsed = v.safeParse(AllThreadsSchema, await response.json());
  if (!parsed.success) throw new Error("the service's answer is not the expected shape");
  return withContents(Object.fromEntries(Object.entries(parsed.output.posts).map(([slug, post]) => [slug, post.comments])));
}

/** Fetches every published thread, falling back to the last snapshot; says in the build output which it used. */
export async function loadBuildComments({ apiUrl, snapshotPath, log = console.log, fetchImpl = fetch }: LoadOptions): Promise<BuildComments> {
  const snapshot = readSnapshot(snapshotPath);
  let threads: Record<string, Comment[]>;
  try {
    threads = await fetchThreads(apiUrl, fetchImpl);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (snapshot) {
      log(`[comments] The comment service at ${apiUrl} could not be reached (${reason}): using the snapshot saved ${snapshot.savedAt} (${total(snapshot.threads)} comments).`);
      return { source: "snapshot", savedAt: snapshot.savedAt, threads: withContents(snapshot.threads) };
    }
    log(`[comments] The comment service at ${apiUrl} could not be reached (${reason}) and there is no snapshot (${snapshotPath}): pages are built with no comments.`);
    return { source: "none", savedAt: null, threads: {} };
  }

  // An answer with no comments at all where the snapshot had some is far likelier a wrong or empty KV
  // namespace than moderators deleting everything: keep the published threads and say so loudly.
  if (snapshot && total(threads) === 0 && total(snapshot.threads) > 0 && process.env.COMMENTS_ALLOW_EMPTY !== "true") {
    log(`[comments] WARNING: the comment service at ${apiUrl} returned no comments, but the snapshot saved ${snapshot.savedAt} has ${total(snapshot.threads)}. Using the snapshot. If every comment really was removed, build once with COMMENTS_ALLOW_EMPTY=true.`);
    return { source: "snapshot", savedAt: snapshot.savedAt, threads: withContents(snapshot.threads) };
  }
  for (const [slug, before] of Object.entries(snapshot?.threads ?? {})) {
    const after = threads[slug]?.length ?? 0;
    if (before.length > 0 && after === 0) log(`[comments] ${slug}: its ${before.length} published comments were all removed by moderators since the last build.`);
  }
  // Written only when it changed: `npm start` watches the project, and an unchanged snapshot is no news.
  let savedAt = snapshot?.savedAt ?? "";
  if (JSON.stringify(threads) !== JSON.stringify(snapshot?.threads)) {
    savedAt = new Date().toISOString();
    mkdirSync(dirname(snapshotPath), { recursive: true });
    writeFileSync(snapshotPath, `${JSON.stringify({ savedAt, threads } satisfies Snapshot, null, 1)}\n`);
  }
  log(`[comments] ${total(threads)} approved comments from ${apiUrl} (snapshot ${snapshotPath}, saved ${savedAt}).`);
  return { source: "service", savedAt, threads };
}
