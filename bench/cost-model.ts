// The running cost of the comment service: the KV operations of each request (from worker/ as it is, checked against
// the counts test/worker/publish/kv-operations.test.ts measures) and the moderation ledger's Durable Object use, times a month
// of traffic, at Cloudflare's published prices. docs/cost.md explains every figure and assumption. Prices:
// - Workers and KV: developers.cloudflare.com/workers/platform/pricing and /kv/platform/pricing
//   (/work/shared/research/platform-and-security.md §1-2).
// - Durable Objects: developers.cloudflare.com/durable-objects/platform/pricing (cloudflare-docs
//   src/content/partials/durable-objects/durable-objects-pricing.mdx): requests (HTTP, each RPC method call, each
//   alarm) 1 M a month included then $0.15/M; duration 400,000 GB-s included then $12.50/M GB-s, billed at 128 MB
//   whatever is used; SQLite rows read 25 bn included then $0.001/M, rows written 50 M then $1.00/M (an index
//   update is a row too), stored data 5 GB-month then $0.20/GB-month (billed since January 2026). Workers Free:
//   100,000 requests, 13,000 GB-s, 5 M rows read and 100,000 rows written a day, 5 GB stored.

/** Billed KV operations. */
export interface KvOps {
  reads: number;
  writes: number;
  deletes: number;
  lists: number;
}

/** What the ledger's Durable Object bills for one request (or a month of them). */
export interface DoUse {
  /** Billed requests: RPC method calls and alarm runs. */
  requests: number;
  /** Wall-clock time the object is active (duration is billed on it at 128 MB). */
  activeMs: number;
  rowsRead: number;
  rowsWritten: number;
}

export const PRICES = {
  workers: { freeRequestsPerDay: 100_000, paidBaseUsd: 5, paidIncludedRequests: 10_000_000, usdPerMillionRequests: 0.3 },
  kvFreePerDay: { reads: 100_000, writes: 1_000, deletes: 1_000, lists: 1_000 } satisfies KvOps,
  kvPaidIncludedPerMonth: { reads: 10_000_000, writes: 1_000_000, deletes: 1_000_000, lists: 1_000_000 } satisfies KvOps,
  kvUsdPerMillion: { reads: 0.5, writes: 5, deletes: 5, lists: 5 } satisfies KvOps,
  durableObjects: {
    billedGb: 0.128,
    freePerDay: { requests: 100_000, gbSeconds: 13_000, rowsRead: 5_000_000, rowsWritten: 100_000 },
    freeStoredGb: 5,
    paidIncludedPerMonth: { requests: 1_000_000, gbSeconds: 400_000, rowsRead: 25_000_000_000, rowsWritten: 50_000_000, storedGb: 5 },
    usdPerMillion: { requests: 0.15, gbSeconds: 12.5, rowsRead: 0.001, rowsWritten: 1 },
    usdPerGbMonth: 0.2,
  },
} as const;

/** The shape of the store when a request runs. */
export interface StoreShape {
  /** Published posts (the manifest); also bounds the ledger's per-post counts the publisher reads. */
  posts: number;
  /** Comment records stored in KV, every status: what the hourly walk lists. */
  storedComments: number;
  /** Approved comments on the post a request concerns (the ledger recounts and rederives that post). */
  commentsOnPost: number;
  /** Comments shown by one load of the moderation queue. */
  queueLength: number;
  /**
   * Whether DEPLOY_HOOK_URL is set: the ledger's alarm then asks for a static rebuild after each change readers see,
   * and checks the live site's /comments-version.json (ledger SQLite only, never KV).
   */
  deployHook: boolean;
}

const pages = (items: number, size: number) => Math.ceil(items / size);

/**
 * How a bulk get (up to 100 keys in one call) is billed. Cloudflare's pricing page does not say; its FAQ counts a
 * bulk get as one operation towards the 1,000-per-invocation limit. "per-key" is the cautious reading.
 */
export type ReadBilling = "per-key" | "per-call";

/** The reconcile's walk lists at most this many pages of 1,000 keys a run (SCAN_PAGES_PER_CALL, worker/publish/reconcile.ts). */
export const RECONCILE_MAX_PAGES = 20;

/** Pages of comment keys one hourly reconcile lists: all of them up to 20,000 stored, then 20 a run from a saved cursor. */
export const reconcilePages = (storedComments: number) => Math.min(RECONCILE_MAX_PAGES, Math.max(1, pages(storedComments, 1_000)));

const kv = (reads: number, writes: number, deletes: number, lists: number): KvOps => ({ reads, writes, deletes, lists });

/**
 * KV operations of each request type, from worker/ (http/routes/, publish/publisher.ts, publish/reconcile.ts).
 * Moderation decides in the ledger and writes only what readers read, and only a value that changed: the post's
 * thread and the counts (2 writes, none for a pending comment rejected), plus the record's erasure for a delete.
 * The site rebuild (publish/deploy-hook.ts) and the build's GET /api/comments/all use the ledger, not KV. No request
 * lists KV but the crons (worker/schedules.ts): every five minutes the inbox (1 list), every hour the inbox and the
 * next pages of the comment keys. `billing` matters only for the inbox drain's bulk gets, which an empty inbox skips.
 */
export function opsPerRequest(shape: StoreShape, _billing: ReadBilling = "per-key"): Record<string, KvOps> {
  const { storedComments } = shape;
  return {
    "GET /api/comments (uncached)": kv(1, 0, 0, 0),
    "GET /api/comments (cached)": kv(0, 0, 0, 0),
    "GET /api/comments/counts": kv(1, 0, 0, 0),
    // Its own record only; the ledger (not KV) checks a reply's parent and holds the status.
    "POST /api/comments": kv(0, 1, 0, 0),
    "POST /api/comments (reply)": kv(0, 1, 0, 0),
    // Every post's thread with the publication version, for the static build (site/comments-data.ts): from the ledger.
    "GET /api/comments/all": kv(0, 0, 0, 0),
    approve: kv(0, 2, 0, 0),
    "reject (pending)": kv(0, 0, 0, 0),
    "reject (approved)": kv(0, 2, 0, 0),
    "delete (pending)": kv(0, 0, 1, 0),
    "delete (approved)": kv(0, 2, 1, 0),
    "GET /api/admin/comments": kv(0, 0, 0, 0),
    // The rebuild a change owes: a row in the ledger's SQLite, worked by its alarm (the hook call, the live check).
    "site-rebuild request": kv(0, 0, 0, 0),
    // The inbox, empty when the ledger was reachable at every POST.
    "cron every five minutes": kv(0, 0, 0, 1),
    // The inbox and up to 20 pages of comment keys; records are read only for ids the ledger lacks (none normally).
    "cron hourly reconcile": kv(0, 0, 0, 1 + reconcilePages(storedComments)),
  };
}

// The ledger's SQLite rows per call, measured once in local workerd (the cursors' rowsRead/rowsWritten, a scratch
// Durable Object running worker/ledger/ledger.ts, ledger/moderation.ts and publish/publisher.ts at 10, 2,000 and 20,000
// comments stored). An action recounts its post (n rows), rederives the thread (n) and the counts (one row a post with
// comments) and keeps the outbox: 2n + posts + about 20 rows read, whatever is stored. Each write also updates the
// indexes.
const ACTION_OVERHEAD_ROWS = 20;
const ROWS_WRITTEN = { ingest: 7, approve: 16, rejectPending: 12, rejectApproved: 16, deletePending: 17, deleteApproved: 21, scanCursor: 2 };
// Rows read to check one listed id the ledger knows (measured: 2,000 for a page of 1,000).
const ROWS_PER_SCANNED_KEY = 2;
/** SQLite bytes per comment: measured about 1,000 with a 400-character body; 1,500 leaves room (an assumption). */
export const LEDGER_BYTES_PER_COMMENT = 1_500;
// Active time per call: assumptions, not measurements. A SQLite-only call takes a few ms; an action that writes KV
// waits for the writes and, in a burst, up to a second for KV's one-write-a-second rule (at most 3 s, then it answers).
export const ACTIVE_MS = { sqlCall: 10, scanPage: 20, kvAction: 1_000 } as const;

const use = (requests: number, activeMs: number, rowsRead: number, rowsWritten: number): DoUse => ({ requests, activeMs, rowsRead, rowsWritten });

/** The ledger's use per request type (requests absent here make no ledger call). */
export function durableObjectPerRequest(shape: StoreShape): Record<string, DoUse> {
  const { posts, storedComments, commentsOnPost: n, queueLength } = shape;
  const derive = 2 * n + posts + ACTION_OVERHEAD_ROWS;
  const scanPages = reconcilePages(storedComments);
  const scanned = Math.min(storedComments, scanPages * 1_000);
  const { sqlCall, scanPage, kvAction } = ACTIVE_MS;
  return {
    // ingest: the id check and the insert, which recounts the post's approved comments.
    "POST /api/comments": use(1, sqlCall, n + 2, ROWS_WRITTEN.ingest),
    // canReplyTo (1 row), then ingest.
    "POST /api/comments (reply)": use(2, 2 * sqlCall, n + 3, ROWS_WRITTEN.ingest),
    approve: use(1, kvAction, derive, ROWS_WRITTEN.approve),
    "reject (pending)": use(1, sqlCall, derive, ROWS_WRITTEN.rejectPending),
    "reject (approved)": use(1, kvAction, derive, ROWS_WRITTEN.rejectApproved),
    "delete (pending)": use(1, kvAction, derive, ROWS_WRITTEN.deletePending),
    "delete (approved)": use(1, kvAction, derive, ROWS_WRITTEN.deleteApproved),
    "GET /api/admin/comments": use(1, sqlCall, queueLength, 0),
    // The publisher's wake-up when a write was held back (its setAlarm bills a row written); it finds the outbox
    // empty when the action waited the write out itself.
    alarm: use(1, sqlCall, 2, 1),
    // Every approved comment and the publication version, in one step (all stored comments counted approved: the
    // cautious side); an edge-cache miss only, and a build misses it once.
    "GET /api/comments/all": use(1, sqlCall, storedComments + 1, 0),
    // One alarm run of the site rebuild (the hook call, or the later check of /comments-version.json): the
    // site_rebuild row and the publication version read, the row updated and the alarm set again. Not measured: an
    // assumption of the same order as the publisher's alarm.
    "site-rebuild alarm": use(1, sqlCall, 2, 2),
    // The cursor, one unknown-ids check a page, the cursor saved (plus an adopt call for any record found missing).
    "cron hourly reconcile": use(2 + scanPages, 2 * sqlCall + scanPages * scanPage, ROWS_PER_SCANNED_KEY * scanned + 1, ROWS_WRITTEN.scanCursor),
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
  /** Share of comments that are replies (each asks the ledger about its parent first). */
  replyShare: number;
  /** Share of comments approved; the rest, still pending, are rejected. Every comment gets one moderation action. */
  approvedShare: number;
  /** Loads of the moderation queue per comment moderated. */
  queueLoadsPerComment: number;
  /** Ledger alarm runs per moderation action (1: every action followed within a second by another write). */
  alarmsPerAction: number;
  /** Hourly reconciles a month (24 x 30). */
  cronRuns: number;
  /** Five-minute inbox checks a month (12 x 24 x 30). */
  inboxCronRuns: number;
  /** Static site builds a month, each reading every thread once (GET /api/comments/all). */
  siteBuilds: number;
  /** The ledger's site-rebuild alarm runs per build: the hook call, then the check that finds the site built. */
  rebuildAlarmsPerBuild: number;
}

export const DEFAULT_TRAFFIC: Traffic = {
  postViews: 1_000_000,
  homeViewsPerPostView: 0.2,
  cacheHitRatio: 0.5,
  comments: 10_000,
  replyShare: 0.25,
  approvedShare: 0.9,
  queueLoadsPerComment: 0.1,
  alarmsPerAction: 1,
  cronRuns: 24 * 30,
  inboxCronRuns: 12 * 24 * 30,
  siteBuilds: 1_000,
  rebuildAlarmsPerBuild: 2,
};

export interface MonthlyUsage {
  /** Worker invocations (fetches and cron runs). */
  requests: number;
  ops: KvOps;
  durableObject: DoUse & { gbSeconds: number; storedGb: number };
  /** Each source's share, for the doc's breakdown table. */
  bySource: Record<string, KvOps & { requests: number; durableObject: DoUse }>;
}

const KINDS = ["reads", "writes", "deletes", "lists"] as const;
const DO_KINDS = ["requests", "activeMs", "rowsRead", "rowsWritten"] as const;
const NO_KV = kv(0, 0, 0, 0);
const NO_DO = use(0, 0, 0, 0);

export function monthlyUsage(traffic: Traffic, shape: StoreShape, billing: ReadBilling = "per-key"): MonthlyUsage {
  const per = opsPerRequest(shape, billing);
  const ledger = durableObjectPerRequest(shape);
  const actions = traffic.comments;
  const approvals = actions * traffic.approvedShare;
  const replies = traffic.comments * traffic.replyShare;
  const misses = traffic.postViews * (1 - traffic.cacheHitRatio);
  // [Worker requests, times, KV per time, ledger per time]
  const sources: Record<string, [number, number, KvOps, DoUse]> = {
    "post views: thread reads (edge-cache misses)": [misses, misses, per["GET /api/comments (uncached)"]!, NO_DO],
    "post views: thread reads (edge-cache hits)": [traffic.postViews - misses, traffic.postViews - misses, per["GET /api/comments (cached)"]!, NO_DO],
    "home views: counts": [traffic.postViews * traffic.homeViewsPerPostView, traffic.postViews * traffic.homeViewsPerPostView, per["GET /api/comments/counts"]!, NO_DO],
    "submissions": [traffic.comments - replies, traffic.comments - replies, per["POST /api/comments"]!, ledger["POST /api/comments"]!],
    "replies": [replies, replies, per["POST /api/comments (reply)"]!, ledger["POST /api/comments (reply)"]!],
    "approvals": [approvals, approvals, per.approve!, ledger.approve!],
    "rejections (pending)": [actions - approvals, actions - approvals, per["reject (pending)"]!, ledger["reject (pending)"]!],
    "site-rebuild alarms (the hook call and the live check)": [0, shape.deployHook ? traffic.siteBuilds * traffic.rebuildAlarmsPerBuild : 0, per["site-rebuild request"]!, ledger["site-rebuild alarm"]!],
    "ledger alarms": [0, actions * traffic.alarmsPerAction, NO_KV, ledger.alarm!],
    "queue loads": [actions * traffic.queueLoadsPerComment, actions * traffic.queueLoadsPerComment, per["GET /api/admin/comments"]!, ledger["GET /api/admin/comments"]!],
    "cron every five minutes": [traffic.inboxCronRuns, traffic.inboxCronRuns, per["cron every five minutes"]!, NO_DO],
    "cron hourly reconcile": [traffic.cronRuns, traffic.cronRuns, per["cron hourly reconcile"]!, ledger["cron hourly reconcile"]!],
    "site builds": [traffic.siteBuilds, traffic.siteBuilds, per["GET /api/comments/all"]!, ledger["GET /api/comments/all"]!],
  };
  const bySource: MonthlyUsage["bySource"] = {};
  const ops = kv(0, 0, 0, 0);
  const durable = use(0, 0, 0, 0);
  let requests = 0;
  for (const [name, [invocations, times, kvPer, doPer]] of Object.entries(sources)) {
    const kvTotal = Object.fromEntries(KINDS.map((k) => [k, kvPer[k] * times])) as unknown as KvOps;
    const doTotal = Object.fromEntries(DO_KINDS.map((k) => [k, doPer[k] * times])) as unknown as DoUse;
    bySource[name] = { requests: invocations, ...kvTotal, durableObject: doTotal };
    for (const k of KINDS) ops[k] += kvTotal[k];
    for (const k of DO_KINDS) durable[k] += doTotal[k];
    requests += invocations;
  }
  const gbSeconds = (durable.activeMs / 1000) * PRICES.durableObjects.billedGb;
  const storedGb = (shape.storedComments * LEDGER_BYTES_PER_COMMENT) / 1e9;
  return { requests, ops, durableObject: { ...durable, gbSeconds, storedGb }, bySource };
}

export interface MonthlyCost {
  workersUsd: number;
  kvUsd: KvOps;
  durableObjectUsd: { requests: number; duration: number; rowsRead: number; rowsWritten: number; storage: number; total: number };
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
  const d = usage.durableObject;
  const { paidIncludedPerMonth: included, usdPerMillion, usdPerGbMonth, freePerDay } = PRICES.durableObjects;
  const doParts = {
    requests: overage(d.requests, included.requests, usdPerMillion.requests),
    duration: overage(d.gbSeconds, included.gbSeconds, usdPerMillion.gbSeconds),
    rowsRead: overage(d.rowsRead, included.rowsRead, usdPerMillion.rowsRead),
    rowsWritten: overage(d.rowsWritten, included.rowsWritten, usdPerMillion.rowsWritten),
    storage: Math.max(0, d.storedGb - included.storedGb) * usdPerGbMonth,
  };
  const durableObjectUsd = { ...doParts, total: Object.values(doParts).reduce((sum, usd) => sum + usd, 0) };
  const freeLimitsExceeded: string[] = [];
  if (usage.requests / daysPerMonth > PRICES.workers.freeRequestsPerDay) freeLimitsExceeded.push("requests");
  for (const kind of KINDS) if (usage.ops[kind] / daysPerMonth > PRICES.kvFreePerDay[kind]) freeLimitsExceeded.push(`KV ${kind}`);
  const doDaily = { requests: d.requests, gbSeconds: d.gbSeconds, rowsRead: d.rowsRead, rowsWritten: d.rowsWritten };
  for (const [kind, used] of Object.entries(doDaily)) {
    if (used / daysPerMonth > freePerDay[kind as keyof typeof freePerDay]) freeLimitsExceeded.push(`Durable Object ${kind}`);
  }
  if (d.storedGb > PRICES.durableObjects.freeStoredGb) freeLimitsExceeded.push("Durable Object storage");
  const totalUsd = workersUsd + KINDS.reduce((sum, kind) => sum + kvUsd[kind], 0) + durableObjectUsd.total;
  return { workersUsd, kvUsd, durableObjectUsd, totalUsd, freeLimitsExceeded };
}
