// Starts the ceiling worker under `wrangler dev` on loopback, from a scratch copy of this folder whose
// bodies.json holds the bytes the real worker answered with.
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startWorker } from "../../test/support/wrangler-dev.ts";
import { onCleanup } from "../cleanup.ts";
import { scratchDir } from "../measure.ts";

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
  // The same harness as the real worker's, so both run under identical `wrangler dev` settings.
  const worker = await startWorker({ config: join(dir, "wrangler.toml"), persistTo: join(dir, ".state") });
  const stop = onCleanup(() => worker.stop());
  return { url: worker.url, stop };
}
