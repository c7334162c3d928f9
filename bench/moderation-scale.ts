// How an approve scales with the number of comments stored: the real worker and its ledger (a Durable Object)
// under `wrangler dev`, in a copy of the project with generated posts, filled through the admin import to 200,
// 2,000, 20,000 and 100,000 comments. The post being moderated keeps the same comments at every size (k = 20
// approved), the rest are spread over the other posts, so the ratio shows what the number stored costs an action.
// Approvals are spaced 1.1 s apart so that KV's one-write-a-second rule (which the ledger keeps) adds no wait.
import { cpSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startWorker, type RunningWorker } from "../test/support/wrangler-dev.ts";
import { onCleanup } from "./cleanup.ts";
import { generatePosts } from "./generate-posts.ts";
import { median, round, scratchDir } from "./measure.ts";
import { ROOT } from "./site-copy.ts";

export interface ModerationScaleOptions {
  sizes: number[];
  posts: number;
  approvalsPerSize: number;
}

export interface ModerationScaleResult {
  options: ModerationScaleOptions;
  commentsOnPost: number;
  sizes: Array<{ stored: number; approveMedianMs: number; approveP90Ms: number; importSeconds: number }>;
  /** Median approve at the largest size over the median at the smallest. */
  ratio: number;
}

const BATCH = 500;
const SPACING_MS = 1100;
const ON_POST = 20;

/** The worker's sources with `posts` generated posts, so the worker's manifest knows them all. */
function workerCopy(posts: number): { dir: string; slugs: string[] } {
  const dir = scratchDir("moderation-worker");
  for (const source of ["wrangler.toml", "package.json", "worker", "site", "scripts", "admin", "client"]) cpSync(join(ROOT, source), join(dir, source), { recursive: true });
  mkdirSync(join(dir, "posts"));
  for (const name of readdirSync(join(ROOT, "posts"))) {
    if (!name.endsWith(".md")) cpSync(join(ROOT, "posts", name), join(dir, "posts", name), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return { dir, slugs: generatePosts(join(dir, "posts"), posts) };
}

async function adminCall(worker: RunningWorker, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${worker.url}/api/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${worker.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

let serial = 0;
function comment(post: string, status: "approved" | "pending" | "rejected") {
  serial++;
  return {
    id: `bench-${serial}`, post, parentId: null, author: `Reader ${serial % 997}`, email: `reader${serial % 5000}@example.org`,
    website: null, body: `Generated comment ${serial}: a paragraph of about the length readers write, saying something about leadership.`,
    createdAt: new Date(Date.UTC(2024, 0, 1) + serial * 1000).toISOString(), status,
  };
}

/** Adds `count` comments on the other posts, a post at a time (so an import batch touches few threads). */
async function fill(worker: RunningWorker, others: string[], count: number): Promise<void> {
  const statuses = ["approved", "approved", "approved", "pending", "rejected"] as const;
  const items = Array.from({ length: count }, (_, i) => comment(others[(serial + i) % others.length]!, statuses[i % statuses.length]!));
  items.sort((a, b) => (a.post < b.post ? -1 : a.post > b.post ? 1 : 0));
  const batches = Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH));
  // Four at a time: the ledger runs them one by one, but their waits for KV's write spacing overlap.
  for (let i = 0; i < batches.length; i += 4) await Promise.all(batches.slice(i, i + 4).map((b) => adminCall(worker, "POST", "/import", b)));
}

export async function benchModerationScale(options: ModerationScaleOptions, log: (line: string) => void): Promise<ModerationScaleResult> {
  const copy = workerCopy(options.posts);
  const [target, ...others] = copy.slugs;
  const worker = await startWorker({ cwd: copy.dir, env: "test", persistTo: scratchDir("moderation-kv") });
  const stop = onCleanup(() => worker.stop());
  try {
    await adminCall(worker, "POST", "/import", Array.from({ length: ON_POST }, () => comment(target!, "approved")));
    let stored = ON_POST;
    const sizes: ModerationScaleResult["sizes"] = [];
    for (const size of options.sizes) {
      const started = performance.now();
      const pendingOnPost = Array.from({ length: options.approvalsPerSize }, () => comment(target!, "pending"));
      await adminCall(worker, "POST", "/import", pendingOnPost);
      stored += pendingOnPost.length;
      if (size > stored) await fill(worker, others, size - stored);
      stored = Math.max(stored, size);
      const importSeconds = round((performance.now() - started) / 1000, 1);
      await new Promise((r) => setTimeout(r, 2 * SPACING_MS));
      const latencies: number[] = [];
      for (const { id } of pendingOnPost) {
        const t0 = performance.now();
        const answer = (await adminCall(worker, "POST", `/comments/${id}/approve`)) as { published: boolean };
        latencies.push(performance.now() - t0);
        if (!answer.published) throw new Error(`approve of ${id} at ${size} stored was not published`);
        await new Promise((r) => setTimeout(r, SPACING_MS));
      }
      // Back to k approved on the post for the next size: reject what was just approved (also timed out of band).
      for (const { id } of pendingOnPost) await adminCall(worker, "POST", `/comments/${id}/reject`);
      latencies.sort((a, b) => a - b);
      const row = { stored: size, approveMedianMs: round(median(latencies), 1), approveP90Ms: round(latencies[Math.floor(latencies.length * 0.9)]!, 1), importSeconds };
      log(`  ${size} stored: approve median ${row.approveMedianMs} ms, p90 ${row.approveP90Ms} ms (fill ${importSeconds} s)`);
      sizes.push(row);
    }
    return { options, commentsOnPost: ON_POST, sizes, ratio: round(sizes.at(-1)!.approveMedianMs / sizes[0]!.approveMedianMs, 2) };
  } finally {
    await stop();
  }
}
