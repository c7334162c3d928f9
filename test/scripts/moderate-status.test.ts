// `npm run moderate -- status` against the real worker under `wrangler dev` whose deploy hook cannot be reached: after
// an approval the site is reported behind, with the owed version, the hook calls and the hook's error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startWorker, type RunningWorker } from "../support/wrangler-dev.ts";
import { runModerate } from "../support/moderate-cli.ts";

let worker: RunningWorker;

beforeAll(async () => {
  // Nothing listens on these ports: the hook fails, and so does the check of the live site.
  const [hookPort, sitePort] = [await freePort(), await freePort()];
  worker = await startWorker({ vars: { DEPLOY_HOOK_URL: `http://127.0.0.1:${hookPort}/rebuild`, SITE_URL: `http://127.0.0.1:${sitePort}` } });
});
afterAll(async () => {
  await worker?.stop();
});
const moderate = (args: string[], env: Record<string, string> = {}) => runModerate(worker, args, env);

describe("npm run moderate -- status", () => {
  it("reports the site up to date before anything was published", async () => {
    const { code, stdout } = await moderate(["status"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Publication version  0");
    expect(stdout).toContain("none owed");
  });

  it("reports the site behind after an approval, with the hook's error, while the hook cannot be reached", async () => {
    const submitted = await fetch(`${worker.url}/api/comments`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.7" },
      body: JSON.stringify({ post: "system-leadership-matters", author: "Ada", email: "ada@example.org", body: "Publish me." }),
    });
    const { id } = (await submitted.json()) as { id: string };
    expect((await moderate(["approve", id])).code).toBe(0);
    await expect.poll(async () => (await moderate(["status"])).stdout, { timeout: 20_000, interval: 500 }).toContain("Last hook error      the deploy hook could not be reached");
    const { stdout } = await moderate(["status"]);
    expect(stdout).toContain("Publication version  1");
    expect(stdout).toMatch(/Site rebuild {9}owed for version 1, 1 behind, since \d{4}-/);
    expect(stdout).toMatch(/Hook calls {11}1 \(last \d{4}-/);
  });
});
