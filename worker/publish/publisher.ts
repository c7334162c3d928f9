// The single writer of what readers read from KV: each post's thread and the counts, derived from the ledger
// at the moment of writing, never patched. It works through the ledger's outbox under production KV's rules:
// - one write a second to a key: a key written less than `spacingMs` ago waits (an alarm brings it back), so a
//   burst of approvals on one post becomes one write a second carrying all of them;
// - any call may fail (429 or an outage): the entry stays, and is retried with backoff;
// - passes run one at a time, so a write that started before an action committed has landed before the next
//   pass derives the value again: once an action has answered, no later write can carry what it removed;
// - at most `maxWritesPerPass` KV calls a pass (an invocation has 1,000 KV operations), the rest on the next.
import { hashText } from "./hash.ts";
import { buildThread } from "./thread.ts";
import type { Ledger } from "../ledger/ledger.ts";
import type { OutboxKey } from "../ledger/outbox.ts";
import { deleteComment, putComment, writeCounts, writeThread } from "./kv-store.ts";

export interface PublisherOptions {
  kv: KVNamespace;
  /** The slugs of the posts the site has: only these get a thread and a count. */
  knownPosts: () => readonly string[];
  now: () => number;
  /** Asks to be called again (`flush`) at this time: the Durable Object's alarm. */
  wakeAt: (at: number) => Promise<void> | void;
  spacingMs?: number;
  maxWritesPerPass?: number;
}

/** KV accepts one write a second to a key. */
export const KV_KEY_SPACING_MS = 1000;
const MAX_WRITES_PER_PASS = 200;
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 60_000;

export class Publisher {
  readonly #ledger: Ledger;
  readonly #options: Required<PublisherOptions>;
  #tail: Promise<void> = Promise.resolve();

  constructor(ledger: Ledger, options: PublisherOptions) {
    this.#ledger = ledger;
    this.#options = { spacingMs: KV_KEY_SPACING_MS, maxWritesPerPass: MAX_WRITES_PER_PASS, ...options };
  }

  /** Runs a pass after any pass already running; resolves when it is done (it never rejects). */
  flush(): Promise<void> {
    const pass = this.#tail.then(() => this.#pass());
    this.#tail = pass.catch(() => undefined);
    return this.#tail;
  }

  /** The time the outbox entries for these keys may next be written (0 when none is waiting). */
  waitingUntil(keys: readonly OutboxKey[]): number {
    const wanted = new Set<string>(keys);
    let until = 0;
    for (const entry of this.#ledger.outbox()) {
      if (wanted.has(entry.key)) until = Math.max(until, this.#dueAt(entry.key, entry.notBefore));
    }
    return until;
  }

  #dueAt(key: OutboxKey, notBefore: number): number {
    const last = this.#ledger.lastPublished(key);
    return Math.max(notBefore, last ? last.writtenAt + this.#options.spacingMs : 0);
  }

  async #pass(): Promise<void> {
    const { now, maxWritesPerPass } = this.#options;
    let writes = 0;
    for (const entry of this.#ledger.outbox()) {
      if (writes >= maxWritesPerPass) continue;
      const write = this.#derive(entry.key);
      // A value KV already holds needs no write, however recently the key was written: settled at once, so an action
      // that changed nothing readers see (a pending comment rejected) never waits for the one-write-a-second rule.
      if (!write) {
        this.#ledger.settle(entry.key, entry.version);
        continue;
      }
      if (this.#dueAt(entry.key, entry.notBefore) > now()) continue;
      try {
        await write.put();
        this.#ledger.recordPublished(entry.key, write.hash, now());
        writes++;
        this.#ledger.settle(entry.key, entry.version);
      } catch (error) {
        const retryAt = now() + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** entry.attempts);
        this.#ledger.postpone(entry.key, retryAt);
        console.error(`publishing ${entry.key} failed; retrying at ${new Date(retryAt).toISOString()}`, error);
      }
    }
    // Whatever is still waiting (too soon after its last write, failed, changed again during this pass, or past
    // this pass's budget) is worked by the next wake-up.
    const waiting = this.#ledger.outbox().map((entry) => this.#dueAt(entry.key, entry.notBefore));
    if (waiting.length > 0) await this.#options.wakeAt(Math.max(now(), Math.min(...waiting)));
  }

  /**
   * The write a key needs, with the value as the ledger derives it now; null when there is nothing to write (the
   * value is what was last written, or the post is not on the site).
   */
  #derive(key: OutboxKey): { hash: string; put: () => Promise<void> } | null {
    const { kv } = this.#options;
    if (key.startsWith("record:")) {
      // The comment's KV record as the ledger now has it (an edit's new text), or gone with a deleted comment.
      const id = key.slice("record:".length);
      const record = this.#ledger.get(id);
      const emailHash = this.#ledger.emailHashOf(id);
      return { hash: "", put: () => (record ? putComment(kv, record, emailHash) : deleteComment(kv, id)) };
    }
    const known = this.#options.knownPosts();
    let value: string;
    let put: () => Promise<void>;
    if (key === "counts") {
      const approved = this.#ledger.approvedCounts();
      const counts = Object.fromEntries(known.map((slug) => [slug, approved.get(slug) ?? 0]));
      value = JSON.stringify(counts);
      put = () => writeCounts(kv, counts);
    } else {
      const post = key.slice("thread:".length);
      if (!known.includes(post)) return null;
      const thread = buildThread(this.#ledger.approvedOn(post), post);
      value = JSON.stringify(thread);
      put = () => writeThread(kv, post, thread);
    }
    const hash = hashText(value);
    return this.#ledger.lastPublished(key)?.hash === hash ? null : { hash, put };
  }
}
