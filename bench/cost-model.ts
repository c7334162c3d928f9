// The running cost of the comment service: KV operations per request (from worker/ as it is, checked against
// the counts test/worker/kv-operations.test.ts measures) times a month of traffic, at Cloudflare's published
// prices (/work/shared/research/platform-and-security.md §1-2; developers.cloudflare.com/workers/platform/pricing
// and /kv/platform/pricing). docs/cost.md explains every assumption.

/** Billed KV operations. */
export interface KvOps {
  reads: number;
  writes: number;
  deletes: number;
  lists: number;
}

export const PRICES = {
  workers: { freeRequestsPerDay: 100_000, paidBaseUsd: 5, paidIncludedRequests: 10_000_000, usdPerMillionRequests: 0.3 },
  kvFreePerDay: { reads: 100_000, writes: 1_000, deletes: 1_000, lists: 1_000 } satisfies KvOps,
  kvPaidIncludedPerMonth: { reads: 10_000_000, writes: 1_000_000, deletes: 1_000_000, lists: 1_000_000 } satisfies KvOps,
  kvUsdPerMillion: { reads: 0.5, writes: 5, deletes: 5, lists: 5 } satisfies KvOps,
} as const;

/** The shape of the store when a request runs. */
export interface StoreShape {
  /** Published posts (the manifest). */
  posts: number;
  /** Comment records stored, every status. */
  storedComments: number;
  /** Comments on the post being moderated. */
  commentsOnPost: number;
  /** Emails with an approved comment (v1:trusted:* keys). */
  trustedEmails: number;
  /** Comments shown by one load of the moderation queue. */
  queueLength: number;
  /** Whether DEPLOY_HOOK_URL is set (the worker asks for a static rebuild after each moderation action). */
  deployHook: boolean;
}

const pages = (items: number, size: number) => Math.ceil(items / size);

/**
 * How a bulk get (up to 100 keys in one call) is billed. Cloudflare's pricing page does not say; its FAQ counts a
 * bulk get as one operation towards the 1,000-per-invocation limit. "per-key" is the cautious reading.
 */
export type ReadBilling = "per-key" | "per-call";

/**
 * KV operations of each request type, from worker/ (routes/comments.ts, routes/admin.ts, moderation.ts):
 * moderation re-derives the post's thread from every comment key (list, whose metadata also gives every post's
 * count) and the post's approved records (bulk get); the hourly cron repair compares every published thread with
 * the list and reads records only for threads that differ (none when nothing raced).
 */
export function opsPerRequest(shape: StoreShape, billing: ReadBilling = "per-key"): Record<string, KvOps> {
  const { posts, storedComments, commentsOnPost, trustedEmails, queueLength, deployHook } = shape;
  const lists = pages(storedComments, 1_000);
  const bulk = (keys: number) => (billing === "per-key" ? keys : pages(keys, 100));
  // The post's approved records only; the other posts' counts come from the key list's metadata.
  const publishReads = bulk(commentsOnPost);
  // The hook's state (v1:deploy-hook): read after every action, written when the hook is called or left pending.
  const hook = deployHook ? 1 : 0;
  return {
    "GET /api/comments (uncached)": { reads: 1, writes: 0, deletes: 0, lists: 0 },
    "GET /api/comments (cached)": { reads: 0, writes: 0, deletes: 0, lists: 0 },
    "GET /api/comments/counts": { reads: 1, writes: 0, deletes: 0, lists: 0 },
    "POST /api/comments": { reads: 0, writes: 1, deletes: 0, lists: 0 },
    // Every post's thread, for the static build (issue 9).
    "GET /api/comments/all": { reads: bulk(posts), writes: 0, deletes: 0, lists: 0 },
    // The record and its post's approved records; the record, thread, counts, trust mark.
    approve: { reads: 1 + publishReads + hook, writes: 4 + hook, deletes: 0, lists },
    // As approve, without the trust mark; the delete drops the trust mark of an email with no approved comment.
    reject: { reads: 1 + publishReads + hook, writes: 3 + hook, deletes: 1, lists },
    "GET /api/admin/comments": { reads: bulk(queueLength), writes: 0, deletes: 0, lists },
    // Every minute: is a site rebuild owed? (No KV at all without DEPLOY_HOOK_URL.)
    "cron deploy-hook check": { reads: hook, writes: 0, deletes: 0, lists: 0 },
    // Every thread and the counts; the comment and trusted key lists; records and writes only where a thread differs.
    "cron rebuild": { reads: bulk(posts) + 1, writes: 0, deletes: 0, lists: lists + Math.max(1, pages(trustedEmails, 1_000)) },
  };
}

/** A month of traffic. */
export interface Traffic {
  postViews: number;
  /** Home page views per post view; each home view asks for the counts once. */
  homeViewsPerPostView: number;
  /** Share of thread reads the edge cache (Cache API, 30 s, per data centre) answers. */
  cacheHitRatio: number;
  comments: number;
  /** Share of comments approved; the rest are rejected. Every comment gets one moderation action. */
  approvedShare: number;
  /** Loads of the moderation queue per comment moderated. */
  queueLoadsPerComment: number;
  /** Cron repairs a month (hourly: 24 x 30). */
  cronRuns: number;
  /** Deploy-hook checks a month (every minute: 60 x 24 x 30). */
  hookCronRuns: number;
  /** Static site builds a month, each reading every thread once (GET /api/comments/all). */
  siteBuilds: number;
}

export const DEFAULT_TRAFFIC: Traffic = {
  postViews: 1_000_000,
  homeViewsPerPostView: 0.2,
  cacheHitRatio: 0.5,
  comments: 10_000,
  approvedShare: 0.9,
  queueLoadsPerComment: 0.1,
  cronRuns: 24 * 30,
  hookCronRuns: 60 * 24 * 30,
  siteBuilds: 1_000,
};

export interface MonthlyUsage {
  requests: number;
  ops: KvOps;
  /** Each source's share, for the doc's breakdown table. */
  bySource: Record<string, KvOps & { requests: number }>;
}

const scale = (ops: KvOps, times: number): KvOps => ({
  reads: ops.reads * times, writes: ops.writes * times, deletes: ops.deletes * times, lists: ops.lists * times,
});
const KINDS = ["reads", "writes", "deletes", "lists"] as const;

export function monthlyUsage(traffic: Traffic, shape: StoreShape, billing: ReadBilling = "per-key"): MonthlyUsage {
  const per = opsPerRequest(shape, billing);
  const homeViews = traffic.postViews * traffic.homeViewsPerPostView;
  const approvals = traffic.comments * traffic.approvedShare;
  const rejections = traffic.comments - approvals;
  const queueLoads = traffic.comments * traffic.queueLoadsPerComment;
  const sources: Record<string, [number, KvOps]> = {
    "post views: thread reads (edge-cache misses)": [traffic.postViews * (1 - traffic.cacheHitRatio), per["GET /api/comments (uncached)"]!],
    "post views: thread reads (edge-cache hits)": [traffic.postViews * traffic.cacheHitRatio, per["GET /api/comments (cached)"]!],
    "home views: counts": [homeViews, per["GET /api/comments/counts"]!],
    "submissions": [traffic.comments, per["POST /api/comments"]!],
    "approvals": [approvals, per.approve!],
    "rejections": [rejections, per.reject!],
    "queue loads": [queueLoads, per["GET /api/admin/comments"]!],
    "cron repairs": [traffic.cronRuns, per["cron rebuild"]!],
    "cron deploy-hook checks": [traffic.hookCronRuns, per["cron deploy-hook check"]!],
    "site builds": [traffic.siteBuilds, per["GET /api/comments/all"]!],
  };
  const bySource: MonthlyUsage["bySource"] = {};
  const ops: KvOps = { reads: 0, writes: 0, deletes: 0, lists: 0 };
  let requests = 0;
  for (const [name, [count, perRequest]] of Object.entries(sources)) {
    const total = scale(perRequest, count);
    bySource[name] = { requests: count, ...total };
    for (const kind of KINDS) ops[kind] += total[kind];
    requests += count;
  }
  return { requests, ops, bySource };
}

export interface MonthlyCost {
  workersUsd: number;
  kvUsd: KvOps;
  totalUsd: number;
  /** Free-plan daily limits the average day exceeds (empty: the free plan would do). */
  freeLimitsExceeded: string[];
}

export function monthlyCost(usage: MonthlyUsage, daysPerMonth = 30): MonthlyCost {
  const overage = (used: number, included: number, usdPerMillion: number) => (Math.max(0, used - included) / 1e6) * usdPerMillion;
  const workersUsd = PRICES.workers.paidBaseUsd + overage(usage.requests, PRICES.workers.paidIncludedRequests, PRICES.workers.usdPerMillionRequests);
  const kvUsd = Object.fromEntries(
    KINDS.map((kind) => [kind, overage(usage.ops[kind], PRICES.kvPaidIncludedPerMonth[kind], PRICES.kvUsdPerMillion[kind])]),
  ) as unknown as KvOps;
  const freeLimitsExceeded: string[] = [];
  if (usage.requests / daysPerMonth > PRICES.workers.freeRequestsPerDay) freeLimitsExceeded.push("requests");
  for (const kind of KINDS) if (usage.ops[kind] / daysPerMonth > PRICES.kvFreePerDay[kind]) freeLimitsExceeded.push(`KV ${kind}`);
  const totalUsd = workersUsd + KINDS.reduce((sum, kind) => sum + kvUsd[kind], 0);
  return { workersUsd, kvUsd, totalUsd, freeLimitsExceeded };
}
