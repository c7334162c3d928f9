// The crons by name: each schedule in wrangler.toml's [triggers] names the one job it runs (worker/index.ts runs
// them). A schedule missing here is logged and ignored, never taken for another job, and test/scripts/schedules.test.ts
// holds this table against every environment's [triggers] in wrangler.toml. Plain data, so Node can read it too.

/** Cron string → job. Every five minutes: the inbox (one KV list when empty); every hour: the reconcile's walk. */
export const SCHEDULES = {
  "*/5 * * * *": "inbox",
  "17 * * * *": "reconcile",
} as const satisfies Record<string, string>;

export type ScheduleName = (typeof SCHEDULES)[keyof typeof SCHEDULES];

/** The job a cron string runs, or null for a schedule the table does not know. */
export function scheduleNamed(cron: string): ScheduleName | null {
  return Object.hasOwn(SCHEDULES, cron) ? SCHEDULES[cron as keyof typeof SCHEDULES] : null;
}
