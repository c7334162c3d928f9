// The moderation CLI as the end-to-end tests run it: a real `node scripts/moderate.ts` process (the pinned Node 24,
// which runs .ts files) against a test worker, its output collected and its exit code kept for the assertions.
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { RunningWorker } from "./wrangler-dev.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run moderate -- <args>` with the worker's URL and owner token (each overridable through `env`). */
export function runModerate(worker: RunningWorker, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, ["scripts/moderate.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, COMMENTS_API_URL: worker.url, MODERATOR_TOKEN: worker.token, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
