// Small measuring tools: medians and ratios, and timing a child process with its peak memory.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { spawnGroup, stopGroup } from "../scripts/process-group.ts";
import { onCleanup } from "./cleanup.ts";

/** Where benchmarks put their files: tmpfs, so disk noise stays out of build timings. */
export const SCRATCH = existsSync("/dev/shm") ? "/dev/shm" : (process.env.TMPDIR ?? "/tmp");

export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(SCRATCH, `bench-${prefix}-`));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export interface TimedRun {
  ms: number;
  /** Peak resident set size of the child, in MiB (null when it could not be measured). */
  peakRssMiB: number | null;
  /**
   * CPU time of the child (user + system), in ms, or null without GNU time. Other jobs on a shared machine stretch
   * wall time far more than the CPU time a build needs.
   */
  cpuMs: number | null;
  output: string;
}

const GNU_TIME = "/usr/bin/time";

/**
 * Runs a command to completion and measures its wall time, peak RSS and CPU time. With GNU time
 * (`/usr/bin/time -f "%M %U %S"`) these are the kernel's own figures; without it, the peak is /proc/<pid>/status
 * VmHWM polled every 20 ms, and the CPU time is not measured.
 * Rejects when the command fails, with its output.
 */
export async function runTimed(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<TimedRun> {
  const useTime = existsSync(GNU_TIME);
  const timeFile = useTime ? join(mkdtempSync(join(SCRATCH, "bench-time-")), "rss") : "";
  const [file, argv] = useTime ? [GNU_TIME, ["-f", "%M %U %S", "-o", timeFile, command, ...args]] : [command, args];
  const started = performance.now();
  const { child, output } = spawnGroup(file, argv, { cwd: options.cwd, env: options.env ?? process.env });
  const stop = onCleanup(() => stopGroup(child));
  let polledKiB = 0;
  const poll = useTime ? undefined : setInterval(() => (polledKiB = Math.max(polledKiB, readVmHwmKiB(child.pid))), 20);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (exitCode) => resolve(exitCode));
  });
  const ms = performance.now() - started;
  if (poll) clearInterval(poll);
  await stop();
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output().slice(-4000)}`);
  let peakKiB: number | null = polledKiB || null;
  let cpuMs: number | null = null;
  if (useTime) {
    const [maxRssKiB, userSeconds, systemSeconds] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
    peakKiB = maxRssKiB!;
    cpuMs = round((userSeconds! + systemSeconds!) * 1000, 0);
    rmSync(join(timeFile, ".."), { recursive: true, force: true });
  }
  return { ms, peakRssMiB: peakKiB === null ? null : round(peakKiB / 1024, 1), cpuMs, output: output() };
}

function readVmHwmKiB(pid: number | undefined): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
