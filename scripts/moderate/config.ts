// Where the moderation CLI finds the comment service and the moderator token: the environment first,
// then the local worker and the token `npm start` wrote into the git-ignored `.dev.vars`.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const DEFAULT_API_URL = "http://localhost:8787";
const REPO_ROOT = join(import.meta.dirname, "..", "..");

export interface CliConfig {
  url: string;
  token: string;
}

/** Thrown when no token is configured anywhere; the CLI treats it as an auth error. */
export class MissingTokenError extends Error {}

/** Resolves the API URL and token from `env`, falling back to `.dev.vars` in `root` for the token. */
export function resolveConfig(env: NodeJS.ProcessEnv = process.env, root: string = REPO_ROOT): CliConfig {
  const url = (env.COMMENTS_API_URL?.trim() || DEFAULT_API_URL).replace(/\/+$/, "");
  const token = env.MODERATOR_TOKEN?.trim() || readDevVar(join(root, ".dev.vars"), "MODERATOR_TOKEN");
  if (!token) {
    throw new MissingTokenError(
      "No moderator token: set MODERATOR_TOKEN, or run `npm start` once so it writes one into .dev.vars.",
    );
  }
  return { url, token };
}

/** Reads one `KEY=value` line from a dotenv-style file; quotes around the value are dropped. */
export function readDevVar(path: string, key: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || match[1] !== key) continue;
    const value = (match[2] ?? "").replace(/^(["'])(.*)\1$/, "$2");
    return value || undefined;
  }
  return undefined;
}
