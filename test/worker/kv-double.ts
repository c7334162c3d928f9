// A Workers KV double that behaves as production KV may, where the local emulator is strongly consistent:
// - reads and lists return the state as it was up to `lagMs` ago (a controllable clock; 60 s is KV's usual bound);
// - a second write to a key within a second fails with 429, as KV's one-write-a-second rule does;
// - any call can be made to fail; puts can be held in flight, to interleave them with other work.
// Every write that lands is logged with a sequence number, so a test can ask what was written after a moment.

export class FakeClock {
  #now: number;
  constructor(start = Date.parse("2026-12-01T10:00:00Z")) {
    this.#now = start;
  }
  now = (): number => this.#now;
  advance(ms: number): void {
    this.#now += ms;
  }
  set(at: number): void {
    this.#now = Math.max(this.#now, at);
  }
}

interface Version {
  at: number;
  value: string | null;
  metadata: unknown;
}

export interface LoggedWrite {
  seq: number;
  at: number;
  key: string;
  value: string | null;
}

type Operation = "get" | "put" | "delete" | "list";

export class KvDouble {
  readonly clock: FakeClock;
  /** How stale a read or list is: the state at `now - lagMs()` (called per read, so it may vary). */
  lagMs: () => number;
  readonly writes: LoggedWrite[] = [];
  readonly calls: Record<Operation, number> = { get: 0, put: 0, delete: 0, list: 0 };
  #versions = new Map<string, Version[]>();
  #failures: Array<(op: Operation, key: string) => boolean> = [];
  #held: Array<() => void> | null = null;
  #holds: (key: string) => boolean = () => true;

  constructor(clock: FakeClock, lagMs: () => number = () => 0) {
    this.clock = clock;
    this.lagMs = lagMs;
  }

  /** The number of the last write that landed. */
  get seq(): number {
    return this.writes.length;
  }

  /** Fails every call for which `when` is true (until `clearFailures`). */
  failWhen(when: (op: Operation, key: string) => boolean): void {
    this.#failures.push(when);
  }

  clearFailures(): void {
    this.#failures = [];
  }

  /** Holds puts and deletes (of the keys `which` picks) in flight until the returned function is called. */
  holdWrites(which: (key: string) => boolean = () => true): () => void {
    this.#held = [];
    this.#holds = which;
    return () => {
      const held = this.#held ?? [];
      this.#held = null;
      for (const release of held) release();
    };
  }

  /** The newest value of a key, as a reader in the writer's location sees it once everything has propagated. */
  latest(key: string): string | null {
    return this.#versions.get(key)?.at(-1)?.value ?? null;
  }

  #check(op: Operation, key: string): void {
    this.calls[op]++;
    if (this.#failures.some((when) => when(op, key))) throw new Error(`KV ${op} failed: 503 (double)`);
  }

  #visible(key: string): Version | undefined {
    const horizon = this.clock.now() - this.lagMs();
    const versions = this.#versions.get(key) ?? [];
    for (let i = versions.length - 1; i >= 0; i--) if (versions[i]!.at <= horizon) return versions[i];
    return undefined;
  }

  async #write(op: "put" | "delete", key: string, value: string | null, metadata: unknown): Promise<void> {
    this.#check(op, key);
    if (this.#held && this.#holds(key)) await new Promise<void>((resolve) => this.#held!.push(resolve));
    const versions = this.#versions.get(key) ?? [];
    const last = versions.at(-1);
    if (last && this.clock.now() - last.at < 1000) throw new Error(`KV ${op} failed: 429 Too Many Requests (one write a second to ${key})`);
    versions.push({ at: this.clock.now(), value, metadata });
    this.#versions.set(key, versions);
    this.writes.push({ seq: this.writes.length + 1, at: this.clock.now(), key, value });
  }

  async get(key: string | string[], options?: unknown): Promise<unknown> {
    const type = typeof options === "string" ? options : ((options as { type?: string } | undefined)?.type ?? "text");
    const parse = (text: string | null | undefined) => (text == null ? null : type === "json" ? JSON.parse(text) : text);
    if (Array.isArray(key)) {
      this.#check("get", key.join());
      return new Map(key.map((k) => [k, parse(this.#visible(k)?.value)]));
    }
    this.#check("get", key);
    return parse(this.#visible(key)?.value);
  }

  async getWithMetadata(key: string, options?: unknown): Promise<{ value: unknown; metadata: unknown }> {
    const value = await this.get(key, options);
    return { value, metadata: value === null ? null : (this.#visible(key)?.metadata ?? null) };
  }

  put(key: string, value: string, options: { metadata?: unknown } = {}): Promise<void> {
    return this.#write("put", key, value, options.metadata ?? null);
  }

  delete(key: string): Promise<void> {
    return this.#write("delete", key, null, null);
  }

  async list(options: { prefix?: string; cursor?: string | null; limit?: number } = {}) {
    const prefix = options.prefix ?? "";
    this.#check("list", prefix);
    const limit = options.limit ?? 1000;
    const names = [...this.#versions.keys()].filter((k) => k.startsWith(prefix) && this.#visible(k)?.value != null).sort();
    const start = options.cursor ? Number(options.cursor) : 0;
    const page = names.slice(start, start + limit);
    const complete = start + limit >= names.length;
    return {
      keys: page.map((name) => ({ name, metadata: this.#visible(name)?.metadata ?? undefined })),
      list_complete: complete,
      ...(complete ? {} : { cursor: String(start + limit) }),
      cacheStatus: null,
    };
  }

  /** This double as the binding type the worker's code takes. */
  get binding(): KVNamespace {
    return this as unknown as KVNamespace;
  }
}
