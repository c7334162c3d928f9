// A worker with no MODERATOR_TOKEN has its admin API off (503, never open); the CLI says so and exits 3.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type RunningWorker } from "../support/wrangler-dev.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");

let worker: RunningWorker;

beforeAll(async () => {
  worker = await startWorker({ vars: { MODERATOR_TOKEN: "" } });
});

afterAll(async () => {
  await worker?.stop();
});

describe("moderate against a worker whose admin API is off", () => {
  it("exits 3 and says how to turn the admin API on", async () => {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(NODE, ["scripts/moderate.ts", "list"], {
        cwd: ROOT,
        env: { ...process.env, COMMENTS_API_URL: worker.url, MODERATOR_TOKEN: "any-token" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
    expect(code).toBe(3);
    expect(stderr).toContain(`The admin API is off at ${worker.url}: the worker answered 503`);
    expect(stderr).toContain("MODERATOR_TOKEN");
  });
});
