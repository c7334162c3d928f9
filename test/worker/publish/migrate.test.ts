// Migrating a deployed v1 namespace (records in KV whose status was the truth, threads and counts derived from
// them) into the ledger: POST /api/admin/migrate, which `npm run moderate -- migrate` repeats until done.
import { env } from "cloudflare:workers";
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { AdminComment } from "../../../worker/comment.ts";
import { ledgerOf } from "../../../worker/http/context.ts";
import { hashEmail } from "../../../worker/intake/ids.ts";
import { putComment, readCounts, readThread, writeCounts, writeThread } from "../../../worker/publish/kv-store.ts";
import { buildThread, compareByCreated } from "../../../worker/publish/thread.ts";
import { admin, OTHER_POST, POST } from "../helpers.ts";

afterEach(() => reset());

const STATUSES = ["approved", "pending", "approved", "rejected"] as const;

/** A v1 store as the previous version left it: 2,150 records (three list pages), replies, and derived data. */
async function fillV1Store(): Promise<AdminComment[]> {
  const records: AdminComment[] = [];
  for (let i = 0; i < 2150; i++) {
    const status = STATUSES[i % STATUSES.length]!;
    const post = i % 3 === 0 ? OTHER_POST : POST;
    const parent = i >= 12 && i % 5 === 0 ? records.findLast((r) => r.post === post && r.status === "approved") : undefined;
    records.push({
      id: `v1-${String(i).padStart(5, "0")}`, post, parentId: parent?.id ?? null, author: `Reader ${i}`,
      email: i % 7 === 0 ? null : `reader${i % 40}@example.org`, website: null, body: `Comment ${i}.`,
      createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(), status,
      moderatedAt: status === "pending" ? null : new Date(Date.UTC(2025, 6, 1) + i * 60_000).toISOString(),
    });
  }
  for (let i = 0; i < records.length; i += 100) {
    await Promise.all(records.slice(i, i + 100).map(async (r) => putComment(env.COMMENTS, r, r.email ? await hashEmail(r.email, env.IP_HASH_SALT) : null)));
  }
  for (const post of [POST, OTHER_POST]) await writeThread(env.COMMENTS, post, buildThread(records, post));
  await writeCounts(env.COMMENTS, { [POST]: buildThread(records, POST).length, [OTHER_POST]: buildThread(records, OTHER_POST).length });
  return records;
}

interface Step {
  scanned: number;
  added: number;
  present: number;
  cursor: string | null;
  done: boolean;
}

async function migrateStep(cursor: string | null, pages = 1): Promise<Step> {
  const query = new URLSearchParams({ pages: String(pages), ...(cursor ? { cursor } : {}) });
  const response = await admin(`/migrate?${query}`, { method: "POST" });
  expect(response.status).toBe(200);
  return response.json();
}

/** Runs the migration to the end, a page per call, as the CLI does; returns the totals and the number of calls. */
async function migrateAll(): Promise<{ scanned: number; added: number; present: number; calls: number }> {
  const total = { scanned: 0, added: 0, present: 0, calls: 0 };
  let cursor: string | null = null;
  for (;;) {
    const step = await migrateStep(cursor);
    total.scanned += step.scanned;
    total.added += step.added;
    total.present += step.present;
    total.calls++;
    cursor = step.cursor;
    if (step.done) return total;
  }
}

describe("POST /api/admin/migrate", () => {
  it("moves every v1 record into the ledger with its status and reply, and keeps every published thread and count", async () => {
    const records = await fillV1Store();
    const threadsBefore = [await readThread(env.COMMENTS, POST), await readThread(env.COMMENTS, OTHER_POST)];
    expect(threadsBefore[0]!.length).toBeGreaterThan(500);

    expect(await migrateAll()).toEqual({ scanned: 2150, added: 2150, present: 0, calls: 3 });

    const inLedger = await ledgerOf(env).exportPage(null, 10_000);
    // The ledger keeps each record without its address: the salted hash (the KV key's metadata) is what it uses.
    expect(inLedger).toEqual([...records].sort(compareByCreated).map((r) => ({ ...r, email: null })));
    expect([await readThread(env.COMMENTS, POST), await readThread(env.COMMENTS, OTHER_POST)]).toEqual(threadsBefore);
    expect(await readCounts(env.COMMENTS)).toEqual({ [POST]: threadsBefore[0]!.length, [OTHER_POST]: threadsBefore[1]!.length });
  });

  it("is idempotent: run again, it adds nothing and changes no decision taken since", async () => {
    const records = await fillV1Store();
    await migrateAll();
    const approved = records.find((r) => r.status === "approved" && r.post === POST)!;
    expect((await admin(`/comments/${approved.id}/reject`, { method: "POST" })).status).toBe(200);
    expect(await migrateAll()).toEqual({ scanned: 2150, added: 0, present: 2150, calls: 3 });
    expect((await ledgerOf(env).getComment(approved.id))!.status).toBe("rejected");
    expect((await readThread(env.COMMENTS, POST)).map((c) => c.id)).not.toContain(approved.id);
  });

  it("resumes from the cursor of an interrupted run, counting only what is left", async () => {
    await fillV1Store();
    const first = await migrateStep(null);
    expect(first).toMatchObject({ scanned: 1000, added: 1000, done: false });
    const rest = await migrateStep(first.cursor, 20);
    expect(rest).toMatchObject({ scanned: 1150, added: 1150, present: 0, cursor: null, done: true });
  });

  it("refuses a pages value outside 1 to 20, naming it", async () => {
    const response = await admin("/migrate?pages=0", { method: "POST" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/^pages must be/);
  });

  it("leaves an export that imports into a fresh ledger as the same threads", async () => {
    await fillV1Store();
    await migrateAll();
    const exported = await (await admin("/export")).json() as AdminComment[];
    expect(exported).toHaveLength(2150);
    const threads = [await readThread(env.COMMENTS, POST), await readThread(env.COMMENTS, OTHER_POST)];
    await reset();
    for (let i = 0; i < exported.length; i += 500) {
      const response = await admin("/import", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(exported.slice(i, i + 500)) });
      expect(response.status).toBe(200);
    }
    expect([await readThread(env.COMMENTS, POST), await readThread(env.COMMENTS, OTHER_POST)]).toEqual(threads);
  });
});
