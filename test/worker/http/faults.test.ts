// KV failing on purpose: for every public endpoint that touches KV, each get, put, list and delete it makes is
// failed in turn (moderation touches KV only through the ledger: ledger/ledger-faults.test.ts). Whichever one fails: the answer is 503 with Retry-After (never a 500), nothing is half-written
// (no published comment without its approved record, no record lost from the queue), and a retry succeeds and
// leaves exactly the state a run without the fault leaves. Outside KV: a failing webhook, rate limiter or edge cache
// changes nothing else.
import { env } from "cloudflare:workers";
import { reset } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { call, countingKv, OTHER_POST, POST, randomIp, SITE, TOKEN, validComment } from "../helpers.ts";
import { consistencyProblems, readStore, safetyProblems, type StoreSnapshot } from "../invariants.ts";

type Op = "get" | "put" | "list" | "delete";
const OPS: Op[] = ["get", "put", "list", "delete"];

/** The real KV binding, except that the `nth` call (from 0) of `op` fails; counts every call per operation. */
function faultyKv(fault?: { op: Op; nth: number }) {
  const calls: Record<Op, number> = { get: 0, put: 0, list: 0, delete: 0 };
  const state = { injected: false };
  const ns = new Proxy(env.COMMENTS, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const op = (prop === "getWithMetadata" ? "get" : prop) as Op;
        if (OPS.includes(op)) {
          const index = calls[op]++;
          if (fault?.op === op && fault.nth === index) {
            state.injected = true;
            return Promise.reject(new Error(`KV ${op} failed (injected)`));
          }
        }
        return value.apply(target, args);
      };
    },
  });
  return { ns, calls, state };
}

let origins = 0;
/** Each request on its own origin, so no edge-cached answer hides a KV read. */
const freshBase = () => `https://faults-${++origins}.example`;

const json = { "content-type": "application/json" };
const moderator = { authorization: `Bearer ${TOKEN}` };
const importJson = (records: unknown[]) =>
  call("/api/admin/import", { method: "POST", headers: { ...moderator, ...json }, body: JSON.stringify(records) }, {}, freshBase());

const comment = (id: string, overrides: Record<string, unknown> = {}) => ({
  id, post: POST, parentId: null, author: `Author ${id}`, email: `${id}@example.org`, website: null, body: `Text of ${id}.`,
  createdAt: "2026-01-01T10:00:00.000Z", status: "approved", ...overrides,
});

interface Scenario {
  name: string;
  setup: () => Promise<void>;
  act: (ns: KVNamespace) => Promise<Response>;
  /** The success status; a run whose fault the service absorbs by design (logged) may also answer it. */
  ok: number;
}

const submit = (fields: object, vars: Record<string, unknown> = {}) => (ns: KVNamespace) =>
  call("/api/comments", { method: "POST", headers: { ...json, origin: SITE, "cf-connecting-ip": randomIp() }, body: JSON.stringify(fields) }, { COMMENTS: ns, ...vars }, freshBase());
const rebuild = () => call("/api/admin/rebuild", { method: "POST", headers: moderator }, {}, freshBase());

const seedThread = () => importJson([comment("parent"), comment("pending", { status: "pending" }), comment("other", { post: OTHER_POST })]).then(() => undefined);

const SCENARIOS: Scenario[] = [
  { name: "a reply submitted as JSON", setup: seedThread, act: submit(validComment({ parentId: "parent" })), ok: 202 },
  {
    name: "the plain form without JavaScript",
    setup: seedThread,
    act: (ns) => call("/api/comments", {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: SITE, "cf-connecting-ip": randomIp() },
      body: new URLSearchParams({ post: POST, author: "No Script", email: "n@example.org", body: "Plain form.", reference: "" }).toString(), redirect: "manual",
    }, { COMMENTS: ns }, freshBase()),
    ok: 303,
  },
  { name: "a returning commenter's submission, approved at once", setup: seedThread, act: submit(validComment({ email: "parent@example.org" }), { AUTO_APPROVE_RETURNING: "true" }), ok: 202 },
];

/** What a run leaves, without the ids and times that differ from one run to the next. */
function shape(store: StoreSnapshot) {
  const bodyOf = (id: string | null) => (id === null ? null : (store.records.get(id)?.body ?? id));
  return {
    records: [...store.records.values()].map((r) => [r.post, r.author, r.email, r.body, r.status, bodyOf(r.parentId)].join("|")).sort(),
    threads: Object.fromEntries([...store.threads].filter(([, t]) => t.length > 0).map(([post, t]) => [post, t.map((c) => [c.body, bodyOf(c.parentId)].join("|"))])),
    counts: store.counts,
  };
}

beforeEach(() => {
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "log").mockImplementation(() => {});
});

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

describe.each(SCENARIOS)("KV failing during $name", ({ setup, act, ok }) => {
  it("answers 503 with Retry-After, keeps what was stored safe, and a retry ends as if nothing had failed", async () => {
    await setup();
    const counted = faultyKv();
    expect((await act(counted.ns)).status).toBe(ok);
    const expected = shape(await readStore());
    expect(consistencyProblems(await readStore())).toEqual([]);

    let faults = 0;
    for (const op of OPS) {
      for (let nth = 0; nth < counted.calls[op]; nth++) {
        const where = `${op} #${nth}`;
        await reset();
        await setup();
        const before = await readStore();
        const faulty = faultyKv({ op, nth });
        const response = await act(faulty.ns);
        expect(faulty.state.injected, where).toBe(true);
        faults++;

        const after = await readStore();
        expect(safetyProblems(after), where).toEqual([]);
        for (const id of before.records.keys()) {
          if (!after.records.has(id)) expect(response.status, `${where}: ${id} was lost`).toBe(ok);
        }
        if (response.status === ok) {
          // Absorbed by design (work after the response, the best-effort returning-commenter lookup, both logged):
          // nothing is lost, and the repair (also run by the cron) derives the published data again.
          expect((await rebuild()).status, where).toBe(200);
          const healed = await readStore();
          expect(consistencyProblems(healed), where).toEqual([]);
          expect(healed.records.size, where).toBe(expected.records.length);
        } else {
          expect(response.status, where).toBe(503);
          expect(response.headers.get("retry-after"), where).toBe("30");
          expect((await act(env.COMMENTS)).status, `${where}: the retry`).toBe(ok);
          const healed = await readStore();
          expect(consistencyProblems(healed), where).toEqual([]);
          expect(shape(healed), where).toEqual(expected);
        }
      }
    }
    expect(faults).toBeGreaterThan(0);
  });
});

describe("KV failing during reads", () => {
  const reads: Array<[string, string, HeadersInit]> = [
    ["a post's thread", `/api/comments?post=${POST}`, {}],
    ["the counts", "/api/comments/counts", {}],
    ["every thread", "/api/comments/all", {}],
  ];

  it.each(reads)("answers 503 with Retry-After to a read of %s and writes nothing", async (_name, path, headers) => {
    await seedThread();
    const counted = faultyKv();
    expect((await call(path, { headers }, { COMMENTS: counted.ns }, freshBase())).status).toBe(200);
    const before = await readStore();
    for (const op of OPS) {
      for (let nth = 0; nth < counted.calls[op]; nth++) {
        const response = await call(path, { headers }, { COMMENTS: faultyKv({ op, nth }).ns }, freshBase());
        expect(response.status, `${op} #${nth}`).toBe(503);
        expect(response.headers.get("retry-after")).toBe("30");
        expect(await response.json()).toMatchObject({ error: "unavailable" });
      }
    }
    expect((await readStore()).raw).toEqual(before.raw);
  });
});

describe("failures outside KV", () => {
  it("a failing or hanging notification webhook changes nothing else: same answer, only the comment's own key written", async () => {
    const plain = countingKv();
    const expected = await submit(validComment())(plain.ns);
    const expectedBody = Object.keys((await expected.json()) as object).sort();
    const failures = [
      () => Promise.reject(new Error("webhook unreachable")),
      () => Promise.resolve(new Response("nope", { status: 500 })),
      () => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response("late")), 50)),
    ];
    for (const failure of failures) {
      vi.spyOn(globalThis, "fetch").mockImplementation(failure);
      const { ns, ops } = countingKv();
      const response = await submit(validComment(), { NOTIFY_WEBHOOK_URL: "https://hooks.example/x" })(ns);
      expect(response.status).toBe(expected.status);
      expect(Object.keys((await response.json()) as object).sort()).toEqual(expectedBody);
      expect(ops.written).toHaveLength(1);
      expect(ops.written[0]).toMatch(/^v1:comment:/);
      vi.mocked(globalThis.fetch).mockRestore();
    }
    const store = await readStore();
    expect(store.records.size).toBe(4);
    expect([...store.records.values()].every((r) => r.status === "pending")).toBe(true);
  });

  it("a failing rate limiter lets the reader's comment through rather than lose it", async () => {
    const limiter = { limit: () => Promise.reject(new Error("rate limiter down")) };
    const response = await submit(validComment(), { COMMENT_RL: limiter })(env.COMMENTS);
    expect(response.status).toBe(202);
    expect((await readStore()).records.size).toBe(1);
  });

  it("a failing edge cache falls back to one KV read", async () => {
    await seedThread();
    vi.spyOn(caches.default, "match").mockRejectedValue(new Error("cache down"));
    vi.spyOn(caches.default, "put").mockRejectedValue(new Error("cache down"));
    const response = await call(`/api/comments?post=${POST}`, {}, {}, freshBase());
    expect(response.status).toBe(200);
    expect(((await response.json()) as { count: number }).count).toBe(1);
  });
});
