// The "Comment API throughput" benchmark: autocannon against the real worker under `wrangler dev` (local KV on tmpfs,
// the `test` environment's high rate limit) and against the ceiling worker returning the same bytes from memory.
// This machine's load changes from second to second, so the targets take turns: each load is cut into rounds
// (worker, ceiling, worker, ceiling, …) and the ratio is the median of the rounds' paired ratios.
// Every response's status is checked, and after the submissions every one of them is looked up in the queue.
import autocannon from "autocannon";
import type { RunningWorker } from "../test/support/wrangler-dev.ts";
import { startCeiling, type RunningCeiling } from "./ceiling-worker/start.ts";
import { median, round } from "./measure.ts";

export const POST = "local-leadership-capabilities";
export const OTHER_POST = "system-leadership-matters";
/** The two real posts and eight slugs the worker does not know (it answers 0 for those). */
export const COUNT_SLUGS = [POST, OTHER_POST, ...Array.from({ length: 8 }, (_, i) => `not-a-post-${i + 1}`)];
const COUNTS_PATH = `/api/comments/counts?${COUNT_SLUGS.map((slug) => `post=${slug}`).join("&")}`;
const THREAD_PATH = `/api/comments?post=${POST}`;

export interface ApiOptions {
  threadComments: number;
  getConnections: number;
  /** Seconds of GET load per target, split over `rounds`. */
  getSeconds: number;
  warmupSeconds: number;
  /** Submissions per target, split over `rounds`. */
  posts: number;
  postConnections: number;
  rounds: number;
}

export interface LoadResult {
  requests: number;
  /** All rounds' requests over all rounds' time. */
  requestsPerSecond: number;
  /** Medians of the rounds' latency percentiles. */
  p50Ms: number;
  p99Ms: number;
  roundsPerSecond: number[];
}

export interface Comparison {
  worker: LoadResult;
  ceiling: LoadResult;
  /** Median over rounds of worker req/s / ceiling req/s (1 = as fast as the ceiling). */
  throughputRatio: number;
  /** Its inverse: "within 2x of the ceiling" means at most 2. */
  slowdown: number;
}

export interface ApiResult {
  options: ApiOptions;
  threadBytes: number;
  countsBody: string;
  get: Comparison & {
    /** The ceiling answering through the Cache API as the worker does: the runtime's share of the gap. */
    ceilingWithCache: LoadResult;
    /** Median over rounds of ceiling-with-cache req/s / worker req/s: what is left for the app's own code. */
    appSlowdown: number;
  };
  counts: Comparison;
  post: Comparison & { queued: number };
}

interface Round {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
}

async function fire(options: autocannon.Options, expectedStatus: number, what: string): Promise<Round> {
  // autocannon notices the end of a run at its next sample; sample often so short rounds are timed exactly.
  const result = await autocannon({ timeout: 30, sampleInt: 50, ...options });
  const statuses = Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => `${code}: ${stat.count ?? 0}`);
  const expected = result.statusCodeStats?.[`${expectedStatus}`]?.count ?? 0;
  if (result.errors > 0 || result.timeouts > 0 || expected !== result.requests.total) {
    throw new Error(`${what}: expected every response to be ${expectedStatus}; got ${statuses.join(", ") || "none"}, ${result.errors} errors, ${result.timeouts} timeouts of ${result.requests.total}`);
  }
  // result.duration is whole seconds; the start and finish times are exact.
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  return { requests: result.requests.total, seconds, p50: result.latency.p50, p99: result.latency.p99 };
}

function summarise(rounds: Round[]): LoadResult {
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  return {
    requests,
    requestsPerSecond: round(requests / seconds, 0),
    p50Ms: median(rounds.map((r) => r.p50)),
    p99Ms: median(rounds.map((r) => r.p99)),
    roundsPerSecond: rounds.map((r) => round(r.requests / r.seconds, 0)),
  };
}

/** Median over rounds of a's req/s over b's. */
const pairedRatio = (a: LoadResult, b: LoadResult) => round(median(a.roundsPerSecond.map((rps, i) => rps / b.roundsPerSecond[i]!)));

function compare(worker: LoadResult, ceiling: LoadResult): Comparison {
  const throughputRatio = pairedRatio(worker, ceiling);
  return { worker, ceiling, throughputRatio, slowdown: round(1 / throughputRatio) };
}

/** Runs `load` for each target in turn, `rounds` times; returns each target's rounds. */
async function alternate(targets: string[], rounds: number, load: (target: string, round: number) => Promise<Round>): Promise<LoadResult[]> {
  const results: Round[][] = targets.map(() => []);
  for (let i = 0; i < rounds; i++) {
    for (const [t, target] of targets.entries()) results[t]!.push(await load(target, i));
  }
  return results.map(summarise);
}

/** GET `path` on each base URL: a warm-up each, then alternating rounds. */
async function getLoads(bases: string[], paths: string[], options: ApiOptions, what: string): Promise<LoadResult[]> {
  const urls = bases.map((base, i) => base + paths[i]!);
  if (options.warmupSeconds > 0) {
    for (const url of urls) await fire({ url, connections: options.getConnections, duration: options.warmupSeconds }, 200, `${what} warm-up`);
  }
  const seconds = options.getSeconds / options.rounds;
  return alternate(urls, options.rounds, (url) => fire({ url, connections: options.getConnections, duration: seconds }, 200, `${what} ${url}`));
}

/** `amount` submissions, alternating between the two real posts, each with a unique text recorded in `sent`. */
function postRound(url: string, amount: number, connections: number, label: string, sent: Set<string>): Promise<Round> {
  let n = 0;
  return fire({
    url,
    connections,
    amount,
    requests: [{
      method: "POST",
      path: "/api/comments",
      headers: { "content-type": "application/json" },
      setupRequest(request) {
        n++;
        const body = `Benchmark comment ${label}-${n}: a reader's thoughts on leadership in the NHS.`;
        sent.add(body);
        return { ...request, body: JSON.stringify({ post: n % 2 ? POST : OTHER_POST, author: `Bench Reader ${n}`, email: `reader${n}@example.org`, body }) };
      },
    }],
  }, 202, `POST ${url}`);
}

async function adminJson<T>(worker: RunningWorker, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${worker.url}/api/admin${path}`, {
    ...init,
    headers: { authorization: `Bearer ${worker.token}`, "content-type": "application/json", ...init.headers },
  });
  if (!response.ok) throw new Error(`admin ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Imports `count` approved comments on POST (the admin import approves what it imports). */
export async function seedThread(worker: RunningWorker, count: number): Promise<void> {
  const comments = Array.from({ length: count }, (_, i) => ({
    id: `bench-${i + 1}`,
    post: POST,
    parentId: i % 4 === 3 ? `bench-${i}` : null,
    author: `Reader ${i + 1}`,
    email: null,
    website: i % 3 === 0 ? `https://reader${i + 1}.example.org` : null,
    body: `Comment ${i + 1}. Developing local leadership is the right call; our trust has run a similar programme `
      + "for two years and the difference in how teams work across organisational boundaries is striking.",
    createdAt: new Date(Date.UTC(2026, 0, 1, 9, i)).toISOString(),
  }));
  await adminJson(worker, "/import", { method: "POST", body: JSON.stringify(comments) });
}

export interface PreparedApi<T> {
  thread: string;
  counts: string;
  ceiling: RunningCeiling;
  /** What `alongside` returned. */
  alongside: T;
}

/**
 * Seeds the thread, checks the worker's answers and starts the ceiling worker with those very bytes, running
 * `alongside` (more setup that needs the seeded thread) meanwhile. Untimed, so `npm run bench` runs it while the
 * deterministic sections run.
 */
export async function prepareApi<T>(worker: RunningWorker, options: ApiOptions, alongside: () => Promise<T>): Promise<PreparedApi<T>> {
  await seedThread(worker, options.threadComments);
  const threadResponse = await fetch(worker.url + THREAD_PATH);
  const thread = await threadResponse.text();
  const threadCount = (JSON.parse(thread) as { count: number }).count;
  if (threadResponse.status !== 200 || threadCount !== options.threadComments) {
    throw new Error(`the seeded thread has ${threadCount} comments, expected ${options.threadComments}`);
  }
  const countsResponse = await fetch(worker.url + COUNTS_PATH);
  const counts = await countsResponse.text();
  const expectedCounts = Object.fromEntries(COUNT_SLUGS.map((slug) => [slug, slug === POST ? options.threadComments : 0]));
  if (countsResponse.status !== 200 || JSON.stringify((JSON.parse(counts) as { counts: unknown }).counts) !== JSON.stringify(expectedCounts)) {
    throw new Error(`unexpected counts answer: ${countsResponse.status} ${counts}`);
  }
  const [ceiling, other] = await Promise.all([
    startCeiling({ thread, counts, submitted: JSON.stringify({ id: "01JDV5Z3K8W2Q9R7T6Y5X4C3B2", status: "pending" }) }),
    alongside(),
  ]);
  return { thread, counts, ceiling, alongside: other };
}

export async function benchApi(worker: RunningWorker, prepared: PreparedApi<unknown>, options: ApiOptions, log: (line: string) => void): Promise<ApiResult> {
  const { ceiling } = prepared;
  try {
    const [getWorker, getCeiling, ceilingWithCache] = await getLoads(
      [worker.url, ceiling.url, ceiling.url], [THREAD_PATH, THREAD_PATH, `/with-cache${THREAD_PATH}`], options, "GET thread");
    const get = { ...compare(getWorker!, getCeiling!), ceilingWithCache: ceilingWithCache!, appSlowdown: round(1 / pairedRatio(getWorker!, ceilingWithCache!)) };
    log(`  GET /api/comments: worker ${getWorker!.requestsPerSecond} req/s, ceiling ${getCeiling!.requestsPerSecond} req/s, ceiling with Cache API ${ceilingWithCache!.requestsPerSecond} req/s`);
    const [countsWorker, countsCeiling] = await getLoads([worker.url, ceiling.url], [COUNTS_PATH, COUNTS_PATH], options, "GET counts");
    const counts = compare(countsWorker!, countsCeiling!);
    log(`  GET /api/comments/counts: worker ${countsWorker!.requestsPerSecond} req/s, ceiling ${countsCeiling!.requestsPerSecond} req/s`);

    const runId = Date.now().toString(36);
    const sent = new Set<string>();
    const perRound = Math.ceil(options.posts / options.rounds);
    const [postWorker, postCeiling] = await alternate([worker.url, ceiling.url], options.rounds, (url, i) => {
      const amount = Math.min(perRound, options.posts - i * perRound);
      return url === worker.url
        ? postRound(url, amount, options.postConnections, `${runId}-${i}`, sent)
        : postRound(url, amount, options.postConnections, `ceiling-${i}`, new Set());
    });
    const { comments: pending } = await adminJson<{ comments: { body: string }[] }>(worker, "/comments?status=pending");
    const queued = pending.filter((c) => c.body.startsWith(`Benchmark comment ${runId}-`));
    const complete = queued.length === options.posts && postWorker!.requests === options.posts
      && queued.every((c) => sent.has(c.body)) && new Set(queued.map((c) => c.body)).size === queued.length;
    if (!complete) throw new Error(`expected all ${options.posts} submissions in the queue, found ${queued.length}`);
    log(`  POST /api/comments: worker ${postWorker!.requestsPerSecond} req/s, ceiling ${postCeiling!.requestsPerSecond} req/s, ${queued.length} queued`);
    return {
      options,
      threadBytes: Buffer.byteLength(prepared.thread),
      countsBody: prepared.counts,
      get,
      counts,
      post: { ...compare(postWorker!, postCeiling!), queued: queued.length },
    };
  } finally {
    await ceiling.stop();
  }
}
