// The "KV operations and cost" benchmark: runs test/worker/publish/kv-operations.test.ts (the real worker and its ledger in
// workerd, the KV binding wrapped in a counter; the test asserts the counts), reads the counts it prints, checks that
// the cost model (bench/cost-model.ts) predicts exactly those counts for every request it printed, and prices a month
// of traffic with it, the moderation ledger's Durable Object included.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEFAULT_TRAFFIC, monthlyCost, monthlyUsage, opsPerRequest, type KvOps, type MonthlyCost, type MonthlyUsage, type StoreShape } from "./cost-model.ts";
import { round } from "./measure.ts";
import { ROOT } from "./site-copy.ts";

export interface MeasuredOps {
  request: string;
  get: number;
  keysRead: number;
  put: number;
  delete: number;
  list: number;
}

export interface CostScenario {
  name: string;
  shape: StoreShape;
  requests: number;
  /** Bulk gets billed per key read (the cautious reading of Cloudflare's pricing). */
  ops: KvOps;
  /** The moderation ledger's month: requests, active time, SQLite rows, GB-s and GB stored. */
  durableObject: MonthlyUsage["durableObject"];
  cost: MonthlyCost;
  /** The same month if a bulk get bills as one read. */
  perCall: { ops: KvOps; cost: MonthlyCost };
}

export interface KvCostResult {
  measured: MeasuredOps[];
  /** Requests whose measured counts differ from the cost model's (empty when docs/cost.md is current). */
  modelMismatches: string[];
  scenarios: CostScenario[];
}

const TEST_FILE = "test/worker/publish/kv-operations.test.ts";

/** The store each measured request ran against in the test, and the model row that should predict it. */
function testShapes(posts: number): Array<{ request: string; model: string; shape: StoreShape }> {
  const small: StoreShape = { posts, storedComments: 2, commentsOnPost: 1, queueLength: 0, deployHook: false };
  const hook = { ...small, deployHook: true };
  return [
    { request: "GET /api/comments (uncached)", model: "GET /api/comments (uncached)", shape: small },
    { request: "GET /api/comments (cached)", model: "GET /api/comments (cached)", shape: small },
    { request: "GET /api/comments/counts (10 posts)", model: "GET /api/comments/counts", shape: small },
    { request: "POST /api/comments", model: "POST /api/comments", shape: small },
    { request: "GET /api/comments/all (site build)", model: "GET /api/comments/all", shape: small },
    { request: "POST /api/comments (reply)", model: "POST /api/comments (reply)", shape: small },
    { request: "POST /api/admin/comments/:id/approve", model: "approve", shape: small },
    { request: "POST /api/admin/comments/:id/approve (2,000 stored)", model: "approve", shape: { ...small, storedComments: 2_001, commentsOnPost: 500 } },
    { request: "POST /api/admin/comments/:id/reject (pending)", model: "reject (pending)", shape: small },
    { request: "POST /api/admin/comments/:id/reject (approved)", model: "reject (approved)", shape: small },
    { request: "DELETE /api/admin/comments/:id (pending)", model: "delete (pending)", shape: small },
    { request: "DELETE /api/admin/comments/:id (approved)", model: "delete (approved)", shape: small },
    { request: "GET /api/admin/comments (2 pending)", model: "GET /api/admin/comments", shape: { ...small, queueLength: 2 } },
    // The test counts the route's own binding only: with DEPLOY_HOOK_URL set, the rebuild it owes adds no KV at all.
    { request: "POST /api/admin/comments/:id/approve (with DEPLOY_HOOK_URL)", model: "site-rebuild request", shape: hook },
    { request: "scheduled inbox check (empty)", model: "cron every five minutes", shape: small },
    { request: "scheduled reconcile (3 comments)", model: "cron hourly reconcile", shape: { ...small, storedComments: 3 } },
  ];
}

const billed = (m: MeasuredOps): KvOps => ({ reads: m.keysRead, writes: m.put, deletes: m.delete, lists: m.list });

export async function benchKvCost(): Promise<KvCostResult> {
  let output: string;
  try {
    const run = await promisify(execFile)(join(ROOT, "node_modules", ".bin", "vitest"), ["run", "--project", "worker", TEST_FILE], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", CI: "true" },
      maxBuffer: 16 * 1024 * 1024,
    });
    output = run.stdout + run.stderr;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`${TEST_FILE} failed:\n${`${failed.stdout ?? ""}${failed.stderr ?? ""}`.slice(-4000)}`);
  }
  const measured = [...output.matchAll(/kv-ops (\{.*\})/g)].map((match) => JSON.parse(match[1]!) as MeasuredOps);
  if (measured.length === 0) throw new Error(`${TEST_FILE} printed no kv-ops lines:\n${output.slice(-2000)}`);

  const manifest = JSON.parse(readFileSync(join(ROOT, "worker", "posts.generated.json"), "utf8")) as { posts: Record<string, unknown> };
  const modelMismatches: string[] = [];
  const shapes = testShapes(Object.keys(manifest.posts).length);
  for (const { request } of measured) {
    if (!shapes.some((s) => s.request === request)) modelMismatches.push(`${request}: measured, but no model row maps it (bench/kv-cost.ts testShapes)`);
  }
  for (const { request, model, shape } of shapes) {
    const row = measured.find((m) => m.request === request);
    const predicted = opsPerRequest(shape)[model];
    if (!row || JSON.stringify(billed(row)) !== JSON.stringify(predicted)) {
      modelMismatches.push(`${request}: measured ${row ? JSON.stringify(billed(row)) : "nothing"}, model ${JSON.stringify(predicted)}`);
    }
  }

  // The blog this project is sized for: 1 million post views and 10,000 comments a month, on a site of 500 posts; after
  // one month (10,000 comments stored) and after a year (120,000). A moderated post holds its share of the comments
  // stored (all counted as approved: the cautious side). The deploy hook on, as docs/deploy.md recommends.
  const scenarios = [10_000, 120_000].map((storedComments): CostScenario => {
    const shape: StoreShape = { posts: 500, storedComments, commentsOnPost: storedComments / 500, queueLength: 20, deployHook: true };
    const usage = monthlyUsage(DEFAULT_TRAFFIC, shape, "per-key");
    const perCall = monthlyUsage(DEFAULT_TRAFFIC, shape, "per-call");
    const rounded = (cost: MonthlyCost): MonthlyCost => ({ ...cost, totalUsd: round(cost.totalUsd), workersUsd: round(cost.workersUsd) });
    return {
      name: `${storedComments.toLocaleString("en-GB")} comments stored`,
      shape,
      requests: Math.round(usage.requests),
      ops: usage.ops,
      durableObject: usage.durableObject,
      cost: rounded(monthlyCost(usage)),
      perCall: { ops: perCall.ops, cost: rounded(monthlyCost(perCall)) },
    };
  });
  return { measured, modelMismatches, scenarios };
}
