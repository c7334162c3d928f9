// The site rebuild owed after readers' view changed (worker/publish/deploy-hook.ts), run on a real ledger's SQLite
// storage with a KV double and a fake clock; the hook and the live site are a recorded stand-in fetch.
import { afterEach, describe, expect, it, vi } from "vitest";
import { hookRequest, type RebuildConfig, SiteRebuild } from "../../../worker/publish/deploy-hook.ts";
import { FakeClock, KvDouble } from "../kv-double.ts";
import { type LedgerRig, pendingRecord, withLedger } from "../ledger-harness.ts";

const HOOK = "https://api.github.example/repos/o/r/dispatches";
const SITE = "https://blog.example.org";
const HOUR = 60 * 60 * 1000;

afterEach(() => {
  vi.restoreAllMocks();
});

/** A stand-in for the hook and the live site: the hook answers `hookStatus` (0: unreachable), the site `liveVersion`. */
function standIn() {
  const state = { hookStatus: 204, liveVersion: 0, hookCalls: [] as Array<{ at: number; body: { client_payload: { version: number } }; headers: Headers }>, siteChecks: 0 };
  const clock = new FakeClock();
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === HOOK) {
      state.hookCalls.push({ at: clock.now(), body: JSON.parse(String(init?.body)), headers: new Headers(init?.headers) });
      if (state.hookStatus === 0) throw new TypeError("network connection lost");
      return new Response(null, { status: state.hookStatus });
    }
    if (url.startsWith(`${SITE}/comments-version.json`)) {
      state.siteChecks++;
      return Response.json({ version: state.liveVersion, builtAt: new Date(clock.now()).toISOString() });
    }
    return new Response("not found", { status: 404 });
  };
  return { state, clock, fetchImpl };
}

function rebuildOf(rig: LedgerRig, fetchImpl: typeof fetch, overrides: Partial<RebuildConfig> = {}): SiteRebuild {
  const config: RebuildConfig = { hookUrl: HOOK, authorization: undefined, siteUrl: SITE, intervalMs: 60_000, fetch: fetchImpl, now: rig.clock.now, ...overrides };
  return new SiteRebuild(rig.sql, () => rig.ledger.publicationVersion(), config);
}

/** Runs the rebuild's alarm turns until `until`, moving the clock to each; returns how many turns ran. */
async function runUntil(rebuild: SiteRebuild, clock: FakeClock, until: number): Promise<number> {
  let turns = 0;
  for (let next = rebuild.nextWake(); next !== null && next <= until; turns++) {
    clock.set(next);
    next = await rebuild.work();
  }
  return turns;
}

async function approveOne(rig: LedgerRig): Promise<string> {
  const record = pendingRecord();
  await rig.moderation.ingest({ record, emailHash: null });
  await rig.moderation.setStatus(record.id, "approved", "ada");
  return record.id;
}

describe("the publication version", () => {
  it("advances with each change readers may see, and not with one they cannot", async () => {
    const clock = new FakeClock();
    await withLedger(new KvDouble(clock).binding, async (rig) => {
      const { moderation, ledger } = rig;
      expect(ledger.publicationVersion()).toBe(0);
      const pending = pendingRecord();
      await moderation.ingest({ record: pending, emailHash: null });
      await moderation.setStatus(pending.id, "rejected", "ada");
      expect(ledger.publicationVersion()).toBe(0);

      const id = await approveOne(rig);
      expect(ledger.publicationVersion()).toBe(1);
      await moderation.edit(id, "Fixed by a moderator.", "ada");
      expect(ledger.publicationVersion()).toBe(2);
      await moderation.setStatus(id, "spam", "ada");
      expect(ledger.publicationVersion()).toBe(3);
      await moderation.setStatus(id, "approved", "ada");
      await moderation.remove(id, "ada");
      expect(ledger.publicationVersion()).toBe(5);

      const imported = pendingRecord({ status: "approved", moderatedAt: "2026-11-02T00:00:00.000Z" });
      await moderation.importEntries([{ record: imported, emailHash: null }], "ada");
      expect(ledger.publicationVersion()).toBe(6);
    }, { clock });
  });

  it("advances with an author's edit and delete of an approved comment", async () => {
    const clock = new FakeClock();
    await withLedger(new KvDouble(clock).binding, async (rig) => {
      const { moderation, ledger } = rig;
      const record = pendingRecord();
      await moderation.ingestEditable({ record, emailHash: null }, {}, { tokenHash: "h", until: clock.now() + 900_000 });
      await moderation.setStatus(record.id, "approved", "ada");
      const approved = ledger.publicationVersion();
      await moderation.editByAuthor(record.id, "h", "Second thoughts.", { keepApproval: true });
      expect(ledger.publicationVersion()).toBe(approved + 1);
      await moderation.removeByAuthor(record.id, "h");
      expect(ledger.publicationVersion()).toBe(approved + 2);
    }, { clock });
  });
});

describe("SiteRebuild", () => {
  it("owes nothing, and calls nothing, when no hook is configured", async () => {
    const { state, clock, fetchImpl } = standIn();
    await withLedger(new KvDouble(clock).binding, async (rig) => {
      await approveOne(rig);
      const rebuild = rebuildOf(rig, fetchImpl, { hookUrl: undefined });
      expect(rebuild.nextWake()).toBeNull();
      expect(await rebuild.work()).toBeNull();
      expect(rebuild.status()).toMatchObject({ hook: false, version: 1, owedVersion: null });
      expect(state.hookCalls).toHaveLength(0);
    }, { clock });
  });

  it("asks for the rebuild at once with the owed version, and asks once for a burst of approvals", async () => {
    const { state, clock, fetchImpl } = standIn();
    await withLedger(new KvDouble(clock).binding, async (rig) => {
      const rebuild = rebuildOf(rig, fetchImpl);
      await approveOne(rig);
      await runUntil(rebuild, clock, clock.now());
      await approveOne(rig);
      await approveOne(rig);
      await runUntil(rebuild, clock, clock.now() + 30_000);
      expect(state.hookCalls.map((call) => call.body)).toEqual([{ event_type: "comments-changed", client_payload: { version: 1 } }]);
      expect(rebuild.status()).toMatchObject({ version: 3, owedVersion: 3, attempts: 1, lastError: null });
    }, { clock });
  });

  it("with the hook failing, calls it at most 10 times in the first hour, never writes to KV, and says why in its status", async () => {
    const { state, clock, fetchImpl } = standIn();
    state.hookStatus = 0;
    vi.spyOn(console, "error").mockImplementation(() => {});
    const kv = new KvDouble(clock);
    await withLedger(kv.binding, async (rig) => {
      await approveOne(rig);
      await rig.runAlarmsUntil(clock.now() + 10_000);
      const kvCalls = { ...kv.calls };
      const start = clock.now();
      const rebuild = rebuildOf(rig, fetchImpl);
      await runUntil(rebuild, clock, start + HOUR);
      expect(state.hookCalls.length).toBeGreaterThanOrEqual(5);
      expect(state.hookCalls.length).toBeLessThanOrEqual(10);
      // The waits double: each gap at least the one before.
      const gaps = state.hookCalls.slice(1).map((call, i) => call.at - state.hookCalls[i]!.at);
      expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
      expect(kv.calls).toEqual(kvCalls);
      const status = rebuild.status();
      expect(status).toMatchObject({ hook: true, version: 1, liveVersion: 0, owedVersion: 1, attempts: state.hookCalls.length });
      expect(status.lastError).toContain("the deploy hook could not be reached");
      expect(Date.parse(status.owedSince!)).toBe(start);
    }, { clock });
  });

  it("clears the owed rebuild once the live site reports the owed version", async () => {
    const { state, clock, fetchImpl } = standIn();
    await withLedger(new KvDouble(clock).binding, async (rig) => {
      const rebuild = rebuildOf(rig, fetchImpl);
      await approveOne(rig);
      await runUntil(rebuild, clock, clock.now());
      expect(state.hookCalls).toHaveLength(1);
      state.liveVersion = 1;
      await runUntil(rebuild, clock, clock.now() + HOUR);
      expect(state.hookCalls).toHaveLength(1);
      expect(state.siteChecks).toBe(1);
      expect(rebuild.nextWake()).toBeNull();
      expect(rebuild.status()).toMatchObject({ version: 1, liveVersion: 1, owedVersion: null, attempts: 0, lastError: null });
    }, { clock });
  });

  it("asks again while the live site reports an older version than the one owed", async () => {
    const { state, clock, fetchImpl } = standIn();
    await withLedger(new KvDouble(clock).binding, async (rig) => {
      const rebuild = rebuildOf(rig, fetchImpl);
      await approveOne(rig);
      await runUntil(rebuild, clock, clock.now());
      await approveOne(rig);
      state.liveVersion = 1;
      await runUntil(rebuild, clock, clock.now() + 60_000);
      expect(state.hookCalls.map((call) => call.body)).toEqual([
        { event_type: "comments-changed", client_payload: { version: 1 } },
        { event_type: "comments-changed", client_payload: { version: 2 } },
      ]);
      expect(rebuild.status()).toMatchObject({ liveVersion: 1, owedVersion: 2 });
    }, { clock });
  });
});

describe("SiteRebuild while changes keep coming", () => {
  it("keeps to the first wait as long as the live site reaches each version it was asked for", async () => {
    const { state, clock, fetchImpl } = standIn();
    await withLedger(new KvDouble(clock).binding, async (rig) => {
      const rebuild = rebuildOf(rig, fetchImpl);
      await approveOne(rig);
      await runUntil(rebuild, clock, clock.now());
      for (let round = 0; round < 4; round++) {
        // The build for what was asked is out by the next check, but a new change is already owed.
        state.liveVersion = state.hookCalls.at(-1)!.body.client_payload.version;
        await approveOne(rig);
        await runUntil(rebuild, clock, clock.now() + 60_000);
      }
      expect(state.hookCalls.map((call) => call.body.client_payload.version)).toEqual([1, 2, 3, 4, 5]);
      const gaps = state.hookCalls.slice(1).map((call, i) => call.at - state.hookCalls[i]!.at);
      expect(gaps.every((gap) => gap <= 60_000)).toBe(true);
      expect(rebuild.status().attempts).toBeLessThanOrEqual(1);
    }, { clock });
  });
});

describe("hookRequest", () => {
  it("posts the repository_dispatch event GitHub needs, with the version, and no Authorization header unless configured", () => {
    const request = hookRequest(undefined, 7);
    expect(JSON.parse(String(request.body))).toEqual({ event_type: "comments-changed", client_payload: { version: 7 } });
    expect(request.headers).toMatchObject({ "content-type": "application/json", "user-agent": "leadership-academy-comments" });
    expect(request.headers).not.toHaveProperty("authorization");
  });

  it("sends the configured authorization as the Authorization header", () => {
    expect(new Headers(hookRequest("Bearer github_pat_x", 1).headers).get("authorization")).toBe("Bearer github_pat_x");
  });
});
