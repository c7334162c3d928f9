// Runs the moderation ledger (worker/ledger/: ledger.ts and its actions, moderation.ts being the whole set;
// worker/publish/publisher.ts) on a real Durable Object's SQLite storage,
// but with a KV binding and a clock the test controls, and its wake-ups (the alarm) driven by the test.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import type { AdminComment } from "../../worker/comment.ts";
import { Desk } from "../../worker/desk/tables.ts";
import { Ledger } from "../../worker/ledger/ledger.ts";
import { Moderation } from "../../worker/ledger/moderation.ts";
import { listPosts } from "../../worker/intake/posts.ts";
import { KV_KEY_SPACING_MS, Publisher } from "../../worker/publish/publisher.ts";
import { FakeClock } from "./kv-double.ts";
import { POST } from "./helpers.ts";

export interface LedgerRig {
  moderation: Moderation;
  ledger: Ledger;
  desk: Desk;
  clock: FakeClock;
  /** The Durable Object's SQLite storage, for other tables kept beside the ledger's (the site rebuild's). */
  sql: SqlStorage;
  /** Times the publisher asked to be woken at (the Durable Object's alarm), not yet run. */
  wakes: number[];
  /** Runs every wake-up due until `until` (moving the clock to each), as the alarm would. */
  runAlarmsUntil(until: number): Promise<void>;
}

const knownPosts = () => listPosts().map((p) => p.slug);

/** Calls `body` with a fresh ledger (its own Durable Object) writing to `kv`. */
export function withLedger<T>(
  kv: KVNamespace,
  body: (rig: LedgerRig) => Promise<T>,
  { clock = new FakeClock(), maxWaitMs = 0 }: { clock?: FakeClock; maxWaitMs?: number } = {},
): Promise<T> {
  const stub = (env.LEDGER as DurableObjectNamespace).getByName(`test-${crypto.randomUUID()}`);
  return runInDurableObject(stub, async (_instance, state) => {
    const ledger = new Ledger(state.storage.sql, (closure) => state.storage.transactionSync(closure));
    const wakes: number[] = [];
    const publisher = new Publisher(ledger, { kv, knownPosts, now: clock.now, wakeAt: (at) => void wakes.push(at), spacingMs: KV_KEY_SPACING_MS });
    const desk = new Desk(state.storage.sql, (closure) => state.storage.transactionSync(closure));
    const moderation = new Moderation({ ledger, desk, publisher, knownPosts, now: clock.now, sleep: async (ms) => clock.advance(ms), maxWaitMs, armAlarm: (at) => void wakes.push(at) });
    const runAlarmsUntil = async (until: number) => {
      for (;;) {
        const next = Math.min(...wakes);
        if (!Number.isFinite(next) || next > until) return;
        wakes.splice(0, wakes.length, ...wakes.filter((at) => at > next));
        clock.set(next);
        await moderation.flush();
      }
    };
    return body({ moderation, ledger, desk, clock, sql: state.storage.sql, wakes, runAlarmsUntil });
  });
}

let counter = 0;

/** A pending comment record as the public POST stores it. */
export function pendingRecord(overrides: Partial<AdminComment> = {}): AdminComment {
  counter++;
  return {
    id: `c${String(counter).padStart(6, "0")}`,
    post: POST,
    parentId: null,
    author: `Reader ${counter}`,
    email: `reader${counter}@example.org`,
    website: null,
    body: `Comment number ${counter}.`,
    createdAt: new Date(Date.parse("2026-11-01T00:00:00Z") + counter * 1000).toISOString(),
    status: "pending",
    moderatedAt: null,
    ...overrides,
  };
}

/** The ids in a published thread value (a KV double's raw text). */
export function publishedIds(value: string | null): string[] {
  return value === null ? [] : (JSON.parse(value) as Array<{ id: string }>).map((c) => c.id);
}
