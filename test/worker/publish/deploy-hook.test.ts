import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, reset, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEPLOY_HOOK_CRON, flushPendingRebuild, hookRequest, requestSiteRebuild } from "../../../worker/publish/deploy-hook.ts";
import worker from "../../../worker/index.ts";
import { readDeployHookState } from "../../../worker/publish/kv-store.ts";
import { buildActionUrls } from "../../../worker/desk/action-links.ts";
import { admin, call, submit, validComment, type Vars } from "../helpers.ts";

const HOOK = "https://api.cloudflare.example/pages/webhooks/deploy_hooks/abc";
const HOOK_VARS: Vars = { DEPLOY_HOOK_URL: HOOK };

let hookCalls: string[];
let hookStatus: number;
beforeEach(() => {
  hookCalls = [];
  hookStatus = 200;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    const url = input instanceof Request ? input.url : String(input);
    hookCalls.push(url);
    if (hookStatus === 0) throw new TypeError("network down");
    return new Response("{}", { status: hookStatus });
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

async function pendingIds(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await submit(validComment({ author: `Reader ${i}` }));
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

const hookEnv = (vars: Vars = {}) => ({ ...env, ...HOOK_VARS, ...vars }) as Env;

describe("the site rebuild after moderation (DEPLOY_HOOK_URL)", () => {
  it("asks once for a burst of approvals, rejections and deletions", async () => {
    const ids = await pendingIds(4);
    expect((await admin(`/comments/${ids[0]}/approve`, { method: "POST" }, HOOK_VARS)).status).toBe(200);
    expect((await admin(`/comments/${ids[1]}/approve`, { method: "POST" }, HOOK_VARS)).status).toBe(200);
    expect((await admin(`/comments/${ids[2]}/reject`, { method: "POST" }, HOOK_VARS)).status).toBe(200);
    expect((await admin(`/comments/${ids[3]}`, { method: "DELETE" }, HOOK_VARS)).status).toBe(204);
    expect(hookCalls).toEqual([HOOK]);
    expect((await readDeployHookState(env.COMMENTS)).pending).toBe(true);
  });

  it("is asked after a one-click link's action, and never for a change of moderators or rules", async () => {
    const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await admin("/moderators", json({ name: "Ada" }), HOOK_VARS)).status).toBe(201);
    expect((await admin("/rules", json({ kind: "word", value: "casino" }), HOOK_VARS)).status).toBe(201);
    expect(hookCalls).toEqual([]);
    const [id] = await pendingIds(1);
    const links = (await buildActionUrls({ LINK_SECRET: "s", MODERATOR_TOKEN: "t" } as unknown as Env, "https://comments.example", id!))!;
    const response = await call(new URL(links.approveUrl).pathname, { method: "POST" }, { ...HOOK_VARS, LINK_SECRET: "s" });
    expect(response.status).toBe(200);
    expect(hookCalls).toEqual([HOOK]);
  });

  it("asks again from the cron for what came after the call, once the interval has passed", async () => {
    const [first, second] = await pendingIds(2);
    await admin(`/comments/${first}/approve`, { method: "POST" }, HOOK_VARS);
    await admin(`/comments/${second}/approve`, { method: "POST" }, HOOK_VARS);
    expect(hookCalls).toHaveLength(1);

    await flushPendingRebuild(hookEnv(), new Date(Date.now() + 10_000));
    expect(hookCalls).toHaveLength(1);
    await flushPendingRebuild(hookEnv(), new Date(Date.now() + 61_000));
    expect(hookCalls).toHaveLength(2);
    await flushPendingRebuild(hookEnv(), new Date(Date.now() + 200_000));
    expect(hookCalls).toHaveLength(2);
  });

  it("runs the flush from the every-minute cron", async () => {
    const [id] = await pendingIds(1);
    await admin(`/comments/${id}/approve`, { method: "POST" }, { ...HOOK_VARS, DEPLOY_HOOK_MIN_INTERVAL_SECONDS: "3600" });
    await requestSiteRebuild(hookEnv({ DEPLOY_HOOK_MIN_INTERVAL_SECONDS: "0" }));
    expect(hookCalls).toHaveLength(2);
    await admin(`/comments/${id}/reject`, { method: "POST" }, { ...HOOK_VARS, DEPLOY_HOOK_MIN_INTERVAL_SECONDS: "3600" });
    expect(hookCalls).toHaveLength(2);
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: DEPLOY_HOOK_CRON }), hookEnv({ DEPLOY_HOOK_MIN_INTERVAL_SECONDS: "0" }), ctx);
    await waitOnExecutionContext(ctx);
    expect(hookCalls).toHaveLength(3);
  });

  it("never fails the moderation action when the hook fails, and leaves the rebuild owed", async () => {
    hookStatus = 0;
    const [id] = await pendingIds(1);
    const response = await admin(`/comments/${id}/approve`, { method: "POST" }, HOOK_VARS);
    expect(response.status).toBe(200);
    expect(hookCalls).toHaveLength(1);
    expect((await readDeployHookState(env.COMMENTS)).pending).toBe(true);

    hookStatus = 200;
    await flushPendingRebuild(hookEnv(), new Date(Date.now() + 61_000));
    expect(hookCalls).toHaveLength(2);
    expect((await readDeployHookState(env.COMMENTS)).pending).toBe(false);
  });

  it("is not asked for reads, for failed actions, or when no hook is configured", async () => {
    const [id] = await pendingIds(1);
    await admin("/comments?status=pending", {}, HOOK_VARS);
    await admin("/comments/nope/approve", { method: "POST" }, HOOK_VARS);
    await admin(`/comments/${id}/approve`, { method: "POST" });
    expect(hookCalls).toEqual([]);
  });
});

describe("hookRequest", () => {
  it("posts the repository_dispatch event GitHub needs, with no Authorization header unless one is configured", () => {
    const request = hookRequest(hookEnv());
    expect(JSON.parse(String(request.body))).toEqual({ event_type: "comments-changed" });
    expect(request.headers).toMatchObject({ "content-type": "application/json", "user-agent": "leadership-academy-comments" });
    expect(request.headers).not.toHaveProperty("authorization");
  });

  it("sends DEPLOY_HOOK_AUTHORIZATION as the Authorization header", async () => {
    const seen: Headers[] = [];
    vi.mocked(fetch).mockImplementation(async (input, init) => {
      seen.push(new Headers(init?.headers));
      return new Response(null, { status: 204 });
    });
    await requestSiteRebuild(hookEnv({ DEPLOY_HOOK_AUTHORIZATION: "Bearer github_pat_x" }));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.get("authorization")).toBe("Bearer github_pat_x");
  });
});
