// Starts the ceiling worker under `wrangler dev` on loopback, from a scratch copy of this folder whose
// bodies.json holds the bytes the real worker answered with.
import { spawn } from "node:child_process";
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../test/support/wrangler-dev.ts";
import { onCleanup, stopProcessGroup } from "../cleanup.ts";
import { scratchDir } from "../measure.ts";
import { ROOT } from "../site-copy.ts";

export interface CeilingBodies {
  thread: string;
  counts: string;
  submitted: string;
}

export interface RunningCeiling {
  url: string;
  stop(): Promise<void>;
}

export async function startCeiling(bodies: CeilingBodies): Promise<RunningCeiling> {
  const dir = scratchDir("ceiling");
  for (const file of ["index.ts", "wrangler.toml"]) cpSync(join(import.meta.dirname, file), join(dir, file));
  writeFileSync(join(dir, "bodies.json"), JSON.stringify(bodies));
  const port = await freePort();
  const args = ["dev", "--config", join(dir, "wrangler.toml"), "--ip", "127.0.0.1", "--port", String(port),
    "--inspector-port", String(await freePort()), "--persist-to", join(dir, ".state"),
    "--show-interactive-dev-session=false", "--log-level", "warn"];
  const child = spawn(join(ROOT, "node_modules", ".bin", "wrangler"), args, {
    cwd: dir,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const stop = onCleanup(() => stopProcessGroup(child));
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the ceiling worker's wrangler dev exited:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the ceiling worker did not answer on ${url} within 60 s:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return { url, stop };
}
