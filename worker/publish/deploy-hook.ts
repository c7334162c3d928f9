// Asks for a rebuild of the static site when published comments change, so approved comments reach the
// pages' HTML. A POST to DEPLOY_HOOK_URL (a Cloudflare Pages deploy hook, or a CI webhook), made
// after the moderator's response, at most once per DEPLOY_HOOK_MIN_INTERVAL_SECONDS: a burst of approvals
// asks once, and the per-minute cron (`flushPendingRebuild`) asks again for whatever came after that call,
// so the last approval of a burst is never left out of the site. A failing hook never fails the action; it
// is logged and retried by the cron.
import { readDeployHookState, writeDeployHookState, type DeployHookState } from "./kv-store.ts";

export const DEFAULT_INTERVAL_SECONDS = 60;
/** The repository_dispatch event type the deploy workflow runs on. */
export const DEPLOY_HOOK_EVENT = "comments-changed";
/** Must match the every-minute entry of wrangler.toml's [triggers] crons. (Not exported from index.ts:
 * workerd takes every export of the main module for a handler.) */
export const DEPLOY_HOOK_CRON = "* * * * *";

function intervalMs(env: Env): number {
  const seconds = Number(env.DEPLOY_HOOK_MIN_INTERVAL_SECONDS ?? DEFAULT_INTERVAL_SECONDS);
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_INTERVAL_SECONDS) * 1000;
}

function due(state: DeployHookState, env: Env, now: Date): boolean {
  return state.lastCalledAt === null || now.getTime() - Date.parse(state.lastCalledAt) >= intervalMs(env);
}

/**
 * The hook request. The body is what GitHub's repository_dispatch needs (`event_type`, which
 * .github/workflows/deploy.yml listens for); a Pages deploy hook ignores it. DEPLOY_HOOK_AUTHORIZATION, when set,
 * is sent as the Authorization header (e.g. "Bearer <GitHub token>"). GitHub's API also wants a User-Agent.
 * https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event
 */
export function hookRequest(env: Env): RequestInit {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/vnd.github+json",
    "user-agent": "leadership-academy-comments",
  };
  if (env.DEPLOY_HOOK_AUTHORIZATION) headers.authorization = env.DEPLOY_HOOK_AUTHORIZATION;
  return { method: "POST", headers, body: JSON.stringify({ event_type: DEPLOY_HOOK_EVENT }) };
}

async function callHook(env: Env, url: string, now: Date): Promise<void> {
  let ok = false;
  try {
    const response = await fetch(url, hookRequest(env));
    await response.body?.cancel();
    ok = response.ok;
    if (!ok) console.error(`deploy hook answered ${response.status}; the cron will ask again`);
  } catch (error) {
    console.error("deploy hook could not be reached; the cron will ask again", error);
  }
  await writeDeployHookState(env.COMMENTS, { lastCalledAt: now.toISOString(), pending: !ok });
}

/** After a moderation action: call the hook now, or leave it pending for the cron if it was called recently. */
export async function requestSiteRebuild(env: Env, now = new Date()): Promise<void> {
  const url = env.DEPLOY_HOOK_URL;
  if (!url) return;
  const state = await readDeployHookState(env.COMMENTS);
  if (due(state, env, now)) await callHook(env, url, now);
  else if (!state.pending) await writeDeployHookState(env.COMMENTS, { ...state, pending: true });
}

/** From the cron: call the hook for actions that came after the last call, once the interval has passed. */
export async function flushPendingRebuild(env: Env, now = new Date()): Promise<void> {
  const url = env.DEPLOY_HOOK_URL;
  if (!url) return;
  const state = await readDeployHookState(env.COMMENTS);
  if (state.pending && due(state, env, now)) await callHook(env, url, now);
}
