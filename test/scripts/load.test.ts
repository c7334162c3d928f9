// Load and concurrency against the real worker under `wrangler dev` on loopback, bounded in count and
// time: 1,000 submissions from 50 concurrent clients to one post all reach the moderation queue with no 5xx; then
// 100 approvals at once on another post: the moderation ledger orders them and publishes the thread a write a second,
// so every approved comment is in the published thread and the count when the approvals have answered, with no
// repair. Prints time, requests per second and latency percentiles.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type RunningWorker } from "../support/wrangler-dev.ts";

const POST = "local-leadership-capabilities";
const OTHER_POST = "system-leadership-matters";
const SUBMISSIONS = 1000;
const CLIENTS = 50;
const APPROVALS = 100;
/** Each phase must finish within this on a CI machine; locally it takes a fraction of it. */
const PHASE_LIMIT_MS = 60_000;

interface Phase {
  statuses: Record<number, number>;
  seconds: number;
  summary: string;
}

/** Runs `total` requests from `clients` concurrent loops; returns the status counts, time and a one-line summary. */
async function runConcurrently(label: string, total: number, clients: number, send: (i: number, client: number) => Promise<Response>): Promise<Phase> {
  const statuses: Record<number, number> = {};
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    for (let i = next++; i < total; i = next++) {
      const sent = performance.now();
      const response = await send(i, client);
      await response.arrayBuffer();
      latencies.push(performance.now() - sent);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(0);
  const fives = Object.entries(statuses).filter(([status]) => Number(status) >= 500).reduce((n, [, count]) => n + count, 0);
  const summary = `${label}: ${total} requests from ${clients} clients in ${seconds.toFixed(1)} s, ${(total / seconds).toFixed(0)} req/s, ` +
    `latency p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, 5xx ${fives}, statuses ${JSON.stringify(statuses)}`;
  console.log(summary);
  return { statuses, seconds, summary };
}

describe("the comment worker under load (wrangler dev)", () => {
  let worker: RunningWorker;

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${worker.url}/api/admin${path}`, { ...init, headers: { authorization: `Bearer ${worker.token}`, ...init.headers } });
  const thread = async (post: string) =>
    ((await (await fetch(`${worker.url}/api/comments?post=${post}`)).json()) as { count: number; comments: Array<{ id: string }> });
  const count = async (post: string) =>
    ((await (await fetch(`${worker.url}/api/comments/counts?post=${post}`)).json()) as { counts: Record<string, number> }).counts[post];
  const submit = (post: string, i: number, client: number) =>
    fetch(`${worker.url}/api/comments`, {
      method: "POST",
      // Each client its own address (198.18.0.0/15 is for benchmarks), as many readers would be.
      headers: { "content-type": "application/json", "cf-connecting-ip": `198.18.${client}.1` },
      body: JSON.stringify({ post, author: `Load reader ${i}`, email: `reader${i}@example.org`, body: `Comment number ${i} on ${post} under load.` }),
    });
  const idOf = async (response: Response) => ((await response.clone().json()) as { id: string }).id;

  beforeAll(async () => {
    // [env.test]: the same worker with a rate limit high enough for one machine to play many readers.
    worker = await startWorker({ env: "test" });
  });

  afterAll(async () => {
    await worker?.stop();
  });

  it(`keeps all ${SUBMISSIONS} submissions from ${CLIENTS} concurrent clients to one post, with no 5xx`, async () => {
    const ids: string[] = [];
    const phase = await runConcurrently("submissions", SUBMISSIONS, CLIENTS, async (i, client) => {
      const response = await submit(POST, i, client);
      if (response.status === 202) ids.push(await idOf(response));
      return response;
    });
    expect(phase.statuses, phase.summary).toEqual({ 202: SUBMISSIONS });
    expect(phase.seconds * 1000).toBeLessThan(PHASE_LIMIT_MS);

    const queue = (await (await admin(`/comments?status=pending&post=${POST}`)).json()) as { comments: Array<{ id: string; body: string }> };
    expect(queue.comments).toHaveLength(SUBMISSIONS);
    expect(new Set(queue.comments.map((c) => c.id))).toEqual(new Set(ids));
    expect(new Set(queue.comments.map((c) => c.body)).size).toBe(SUBMISSIONS);
  });

  it(`publishes all ${APPROVALS} comments approved at once on one post by the time the approvals have answered`, async () => {
    const chosen: string[] = [];
    await runConcurrently("submissions to the second post", APPROVALS, CLIENTS, async (i, client) => {
      const response = await submit(OTHER_POST, i, client);
      chosen.push(await idOf(response));
      return response;
    });
    const phase = await runConcurrently("approvals", APPROVALS, APPROVALS, (i) => admin(`/comments/${chosen[i]}/approve`, { method: "POST" }));
    expect(phase.statuses, phase.summary).toEqual({ 200: APPROVALS });
    expect(phase.seconds * 1000).toBeLessThan(PHASE_LIMIT_MS);

    // The records are the truth: every approval was stored.
    const approved = (await (await admin(`/comments?status=approved&post=${OTHER_POST}`)).json()) as { comments: Array<{ id: string }> };
    expect(new Set(approved.comments.map((c) => c.id))).toEqual(new Set(chosen));

    const published = await thread(OTHER_POST);
    expect(new Set(published.comments.map((c) => c.id))).toEqual(new Set(chosen));
    expect(published.count).toBe(APPROVALS);
    expect(await count(OTHER_POST)).toBe(APPROVALS);
    expect(await count(POST)).toBe(0);
  });
});
