// The approved comments the build puts into the pages. One request to the comment service's public
// `GET /api/comments/all` per build, whatever the number of posts; public data only (no email, no unapproved comment
// can be in it). The answer carries the publication version of its threads (the ledger's count of changes to what
// readers see), which the build bakes into /comments-version.json, so the worker knows when the live site has caught
// up (worker/publish/deploy-hook.ts):
// - a build triggered by comments is asked to bake version N (COMMENTS_VERSION, from the hook's payload): it polls,
//   bounded, for an answer at N or later, and fails with a clear message rather than publish an older copy;
// - any other build takes the service's answer when its version is at least the snapshot's, even if empty (the
//   site may really have no comments left), and falls back to the snapshot only when the service cannot be reached
//   or answers an older version than the snapshot holds (so a withdrawn comment is never brought back).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import * as v from "valibot";
import type { Comment } from "../client/api.ts";
import type { MarkupNode } from "../client/markup.ts";

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
  version: v.pipe(v.number(), v.integer(), v.minValue(0)),
  posts: v.record(v.string(), v.object({ comments: v.array(CommentSchema) })),
});

/** How long a build asked to bake a version waits for the service to answer it, and how often it asks. */
export const VERSION_WAIT_MS = 90_000;
export const VERSION_POLL_MS = 2_000;

/** Each post's approved comments, oldest first, the publication version they are, and where they came from. */
export interface BuildComments {
  source: "service" | "snapshot" | "none";
  savedAt: string | null;
  /** The publication version baked into /comments-version.json (0: none known). */
  version: number;
  /** When this build read its comments. */
  builtAt: string;
  threads: Record<string, Comment[]>;
}

interface Snapshot {
  savedAt: string;
  /** Absent in snapshots saved before there was a version: 0, so any answer of the service wins over them. */
  version?: number;
  threads: Record<string, Comment[]>;
}

interface Answer {
  version: number;
  threads: Record<string, Comment[]>;
}

export interface LoadOptions {
  apiUrl: string;
  snapshotPath: string;
  /** The publication version this build must bake (COMMENTS_VERSION): wait for it, or fail. */
  wantVersion?: number;
  waitMs?: number;
  pollMs?: number;
  log?: (message: string) => void;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * The version this build must bake: COMMENTS_VERSION (the hook's client_payload.version, passed on by the deploy
 * workflow), else the `version` in the file COMMENTS_VERSION_FILE names (`npm start`'s local hook writes it before
 * each rebuild, as its long-running Eleventy cannot be given a new environment). Undefined when neither is set or
 * the value is empty; anything but a whole number stops the build, naming the setting.
 */
export function readWantedVersion(env: Record<string, string | undefined>): number | undefined {
  let value = env.COMMENTS_VERSION;
  let source = "COMMENTS_VERSION";
  if ((value === undefined || value.trim() === "") && env.COMMENTS_VERSION_FILE && existsSync(env.COMMENTS_VERSION_FILE)) {
    source = env.COMMENTS_VERSION_FILE;
    try {
      value = String((JSON.parse(readFileSync(env.COMMENTS_VERSION_FILE, "utf8")) as { version?: unknown }).version ?? "");
    } catch {
      value = "not JSON";
    }
  }
  if (value === undefined || value.trim() === "") return undefined;
  if (!/^\d{1,15}$/.test(value.trim())) throw new Error(`${source}: the publication version to bake must be a whole number (the hook's client_payload.version), not "${value}".`);
  return Number(value.trim());
}

/**
 * A comment from a snapshot (or a worker) older than content trees gets one, as the worker gives old threads on read.
 * The worker's renderer is loaded only then: a build whose comments all carry their trees (every build from a current
 * worker, and every build with no comments) does not pay to load it.
 */
async function withContents(threads: Record<string, Comment[]>): Promise<Record<string, Comment[]>> {
  const all = Object.values(threads).flat();
  if (all.every((comment) => comment.content && comment.revision)) return threads;
  const { withContent } = await import("../worker/publish/thread.ts");
  return Object.fromEntries(Object.entries(threads).map(([slug, thread]) => [slug, thread.map(withContent)]));
}
const total = (threads: Record<string, Comment[]>) => Object.values(threads).reduce((n, t) => n + t.length, 0);

function readSnapshot(path: string): Snapshot | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Snapshot;
  } catch {
    return null;
  }
}

async function fetchThreads(apiUrl: string, fetchImpl: typeof fetch): Promise<Answer> {
  const response = await fetchImpl(`${apiUrl}/api/comments/all`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`the service answered ${response.status}`);
  const parsed = v.safeParse(AllThreadsSchema, await response.json());
  if (!parsed.success) throw new Error("the service's answer is not the expected shape");
  const threads = Object.fromEntries(Object.entries(parsed.output.posts).map(([slug, post]) => [slug, post.comments]));
  return { version: parsed.output.version, threads: await withContents(threads) };
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Asks until the service answers `want` or a later version; throws, saying what it last got, after `waitMs`. */
async function waitForVersion(options: LoadOptions & { wantVersion: number }): Promise<Answer> {
  const { apiUrl, wantVersion, waitMs = VERSION_WAIT_MS, pollMs = VERSION_POLL_MS, log = console.log, fetchImpl = fetch } = options;
  const { sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)), now = Date.now } = options;
  const deadline = now() + waitMs;
  let last = "";
  for (;;) {
    try {
      const answer = await fetchThreads(apiUrl, fetchImpl);
      if (answer.version >= wantVersion) return answer;
      last = `it answered version ${answer.version}`;
    } catch (error) {
      last = `it could not be reached (${reasonOf(error)})`;
    }
    if (now() + pollMs > deadline) break;
    log(`[comments] Waiting for publication version ${wantVersion} from ${apiUrl}: ${last}.`);
    await sleep(pollMs);
  }
  throw new Error(
    `[comments] This build was asked to bake publication version ${wantVersion} (COMMENTS_VERSION), but after ${Math.round(waitMs / 1000)} s ` +
      `the comment service at ${apiUrl} had not answered it: ${last}. Failing rather than publish older comments; the worker asks for the rebuild again.`,
  );
}

/**
 * Fetches every published thread (waiting for `wantVersion` when given), falling back to the last snapshot only when
 * no version is wanted; says in the build output which it used.
 */
export async function loadBuildComments(options: LoadOptions): Promise<BuildComments> {
  const { apiUrl, snapshotPath, wantVersion, log = console.log, fetchImpl = fetch } = options;
  const snapshot = readSnapshot(snapshotPath);
  const snapshotVersion = snapshot?.version ?? 0;
  const builtAt = new Date().toISOString();
  const fromSnapshot = async (saved: Snapshot): Promise<BuildComments> => ({ source: "snapshot", savedAt: saved.savedAt, version: snapshotVersion, builtAt, threads: await withContents(saved.threads) });
  let answer: Answer;
  if (wantVersion !== undefined) {
    answer = await waitForVersion({ ...options, wantVersion });
  } else {
    try {
      answer = await fetchThreads(apiUrl, fetchImpl);
    } catch (error) {
      const reason = reasonOf(error);
      if (snapshot) {
        log(`[comments] The comment service at ${apiUrl} could not be reached (${reason}): using the snapshot saved ${snapshot.savedAt} (version ${snapshotVersion}, ${total(snapshot.threads)} comments).`);
        return fromSnapshot(snapshot);
      }
      log(`[comments] The comment service at ${apiUrl} could not be reached (${reason}) and there is no snapshot (${snapshotPath}): pages are built with no comments.`);
      return { source: "none", savedAt: null, version: 0, builtAt, threads: {} };
    }
    // An answer older than what the last build baked (an edge copy from before, or a reset ledger) never replaces it.
    if (snapshot && answer.version < snapshotVersion) {
      log(`[comments] WARNING: the comment service at ${apiUrl} answered publication version ${answer.version}, older than the snapshot's ${snapshotVersion} (saved ${snapshot.savedAt}). Using the snapshot.`);
      return fromSnapshot(snapshot);
    }
  }
  const { threads, version } = answer;
  for (const [slug, before] of Object.entries(snapshot?.threads ?? {})) {
    const after = threads[slug]?.length ?? 0;
    if (before.length > 0 && after === 0) log(`[comments] ${slug}: its ${before.length} published comments were all removed since the last build.`);
  }
  // Written only when it changed: `npm start` watches the project, and an unchanged snapshot is no news.
  let savedAt = snapshot?.savedAt ?? "";
  if (version !== snapshotVersion || JSON.stringify(threads) !== JSON.stringify(snapshot?.threads)) {
    savedAt = new Date().toISOString();
    mkdirSync(dirname(snapshotPath), { recursive: true });
    writeFileSync(snapshotPath, `${JSON.stringify({ savedAt, version, threads } satisfies Snapshot, null, 1)}\n`);
  }
  log(`[comments] ${total(threads)} approved comments, publication version ${version}, from ${apiUrl} (snapshot ${snapshotPath}, saved ${savedAt}).`);
  return { source: "service", savedAt, version, builtAt, threads };
}
