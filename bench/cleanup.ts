// Every process and server the bench starts registers how to stop it here, so an error, Ctrl-C or a failed
// assertion half-way never leaves a wrangler dev, a watcher or a browser behind.
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

for (const name of ["SIGINT", "SIGTERM"] as const) {
  process.once(name, () => {
    console.error(`\n${name}: stopping everything the bench started…`);
    void cleanupAll().finally(() => process.exit(130));
  });
}
