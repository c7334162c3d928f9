// `npm start` in a fresh copy of the project, as a newcomer runs it: for tests of the whole local setup (the
// worker, the site, the local deploy hook and the .mail/ folder). Stopped with the whole process group.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./wrangler-dev.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const SOURCES = ["package.json", ".eleventy.ts", "wrangler.toml", ".dev.vars.example", "worker", "site", "layouts", "posts", "client", "admin", "scripts", "comments"];

export interface NpmStart {
  /** The copy's folder (its .dev.vars, .mail/...). */
  project: string;
  siteUrl: string;
  workerUrl: string;
  /** Everything npm start printed so far. */
  output(): string;
  stop(): void;
}

/** Copies the project, runs `npm start` on free ports, and resolves once the site serves `readyPath`. */
export async function startNpmStart(readyPath: string): Promise<NpmStart> {
  const project = mkdtempSync(join(tmpdir(), "npm-start-"));
  for (const source of SOURCES) cpSync(join(ROOT, source), join(project, source), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(project, "node_modules"), "dir");
  const [sitePort, workerPort, hookPort] = [await freePort(), await freePort(), await freePort()];
  const siteUrl = `http://localhost:${sitePort}`;
  const workerUrl = `http://localhost:${workerPort}`;
  let output = "";
  const child: ChildProcess = spawn("npm", ["start"], {
    cwd: project,
    env: { ...process.env, PORT: String(sitePort), WORKER_PORT: String(workerPort), HOOK_PORT: String(hookPort), WRANGLER_SEND_METRICS: "false" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already stopped
    }
  };
  const deadline = Date.now() + 90_000;
  const siteAnswers = () => fetch(`${siteUrl}${readyPath}`).then((r) => r.ok, () => false);
  while (!output.includes("Press Ctrl-C to stop") || !(await siteAnswers())) {
    if (Date.now() > deadline || child.exitCode !== null) {
      stop();
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { project, siteUrl, workerUrl, output: () => output, stop };
}
