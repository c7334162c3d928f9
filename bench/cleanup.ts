// Every process and server the bench starts registers how to stop it here, so an error, Ctrl-C or a failed
// assertion half-way never leaves a wrangler dev, a watcher or a browser behind.
import type { ChildProcess } from "node:child_process";

type Stop = () => unknown;

const stops = new Set<Stop>();

/** Registers `stop` to run on cleanup; returns a function that runs it now (once) and unregisters it. */
export function onCleanup(stop: Stop): () => Promise<void> {
  stops.add(stop);
  return async () => {
    if (!stops.delete(stop)) return;
    await stop();
  };
}

/** Runs every registered stop (newest first), ignoring their failures. */
export async function cleanupAll(): Promise<void> {
  for (const stop of [...stops].reverse()) {
    stops.delete(stop);
    try {
      await stop();
    } catch (error) {
      console.error("cleanup failed:", error);
    }
  }
}

/** Stops a child started with `detached: true` and everything it started (its process group). */
export async function stopProcessGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), graceMs).unref());
  if ((await Promise.race([exited, timer])) === "timeout") signal("SIGKILL");
}

for (const name of ["SIGINT", "SIGTERM"] as const) {
  process.once(name, () => {
    console.error(`\n${name}: stopping everything the bench started…`);
    void cleanupAll().finally(() => process.exit(130));
  });
}
