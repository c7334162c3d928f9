// The crons by name (worker/schedules.ts) held against wrangler.toml: every schedule any environment triggers runs a
// named job, and every named job is triggered, so editing a schedule in one place and not the other fails here
// rather than silently running the wrong job (or none).
import { join } from "node:path";
import { experimental_readRawConfig } from "wrangler";
import { describe, expect, it } from "vitest";
import { SCHEDULES, scheduleNamed } from "../../worker/schedules.ts";

const ROOT = join(import.meta.dirname, "..", "..");

interface Triggers {
  triggers?: { crons?: string[] };
}

/** Each environment's crons as Wrangler deploys them: its own [triggers], or the top level's it inherits. */
function cronsByEnvironment(): Record<string, string[]> {
  const { rawConfig } = experimental_readRawConfig({ config: join(ROOT, "wrangler.toml") }) as { rawConfig: Triggers & { env?: Record<string, Triggers> } };
  const top = rawConfig.triggers?.crons ?? [];
  const envs = Object.entries(rawConfig.env ?? {}).map(([name, env]) => [name, env.triggers?.crons ?? top] as const);
  return Object.fromEntries([["(top level)", top], ...envs]);
}

describe("the schedules table (worker/schedules.ts)", () => {
  it("names a job for every cron each environment of wrangler.toml triggers", () => {
    const environments = cronsByEnvironment();
    expect(Object.keys(environments)).toContain("production");
    for (const [name, crons] of Object.entries(environments)) {
      for (const cron of crons) expect(scheduleNamed(cron), `${name}: "${cron}"`).not.toBeNull();
    }
  });

  it("holds no schedule that wrangler.toml does not trigger", () => {
    const triggered = new Set(Object.values(cronsByEnvironment()).flat());
    expect(Object.keys(SCHEDULES).filter((cron) => !triggered.has(cron))).toEqual([]);
  });

  it("knows no job for a schedule it does not list, whatever its name looks like", () => {
    expect(scheduleNamed("* * * * *")).toBeNull();
    expect(scheduleNamed("toString")).toBeNull();
  });
});
