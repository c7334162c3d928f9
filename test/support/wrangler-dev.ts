// Starts the real comment worker under `wrangler dev` on loopback, with its own KV directory, for tests that
// talk to it over HTTP (browser tests, the moderation CLI, load tests). Each call gets a free port, a fresh
// store (unless `persistTo` is given) and a random moderator token.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnGroup, stopGroup } from "../../scripts/process-group.ts";

export interface RunningWorker {
  url: string;
  token: string;
  persistTo: string;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  vars?: Record<string, string>;
  persistTo?: string;
  port?: number;
  /** A wrangler.toml environment, e.g. "test" (same worker, a rate limit high enough for load and browser tests). */
  env?: string;
  /** Another worker's wrangler.toml (the bench's ceiling worker); default: the comment worker's. */
  config?: string;
  /** Where to run it: a copy of the project (the bench's worker with generated posts); default: this project. */
  cwd?: string;
}

/** Asks the OS for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Runs `wrangler dev` for the comment worker and resolves once it answers HTTP. */
export async function startWorker(options: WorkerOptions = {}): Promise<RunningWorker> {
  const port = options.port ?? (await freePort());
  const persistTo = options.persistTo ?? mkdtempSync(join(tmpdir(), "comments-kv-"));
  const token = randomBytes(24).toString("hex");
  const vars: Record<string, string> = { MODERATOR_TOKEN: token, IP_HASH_SALT: "test-salt", ...options.vars };
  const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persistTo,
    "--inspector-port", String(await freePort()), "--show-interactive-dev-session=false", "--log-level", "warn"];
  if (options.env) args.push("--env", options.env);
  if (options.config) args.push("--config", options.config);
  for (const [key, value] of Object.entries(vars)) args.push("--var", `${key}:${value}`);

  const { child, output } = spawnGroup("npx", args, {
    cwd: options.cwd ?? join(import.meta.dirname, "..", ".."),
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output()}`);
    try {
      await fetch(`${url}/api/health`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  if (Date.now() >= deadline) {
    await stopGroup(child);
    throw new Error(`wrangler dev did not answer on ${url} within 60 s:\n${output()}`);
  }

  return {
    url,
    token,
    persistTo,
    stop: () => stopGroup(child),
  };
}
