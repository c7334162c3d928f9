// Child processes that start processes of their own (npx -> wrangler -> workerd, eleventy --serve): each runs in
// its own process group, so stopping it stops everything under it. Shared by `npm start`, the test harness
// and the bench, so none of them leaves a server or a port behind.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

export interface GroupProcess {
  child: ChildProcess;
  /** Everything it has printed so far (stdout and stderr), for error messages. */
  output(): string;
}

/** Starts `command` as the leader of a new process group, collecting its output. */
export function spawnGroup(command: string, args: readonly string[], options: Pick<SpawnOptions, "cwd" | "env"> = {}): GroupProcess {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Whether any process of the child's group is still running (signal 0 only asks). */
function groupAlive(child: ChildProcess): boolean {
  try {
    return child.pid !== undefined && process.kill(-child.pid, 0);
  } catch {
    return false;
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Stops the child's whole process group: SIGTERM, then waits until every process in it is gone (the leader
 * often exits before the server under it), and SIGKILL after `graceMs`.
 */
export async function stopGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  signalGroup(child, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (groupAlive(child) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (groupAlive(child)) signalGroup(child, "SIGKILL");
}
