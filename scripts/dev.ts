// `npm start`: the whole blog locally. The comment worker under `wrangler dev` (KV persisted in .wrangler/state),
// the shipped comments imported into it (idempotent), and the site with live reload. Ctrl-C stops both.
// A moderation action reaches the site's static HTML within seconds, as a deploy hook does in production: the
// worker's DEPLOY_HOOK_URL points at a small local endpoint here, which writes the publication version it was sent
// into the file Eleventy watches (and reads the version to bake from: COMMENTS_VERSION_FILE). The site serves the
// version it baked as /comments-version.json, and the worker (SITE_URL: this site) checks it as it does in production.
// Mail never leaves the machine: the worker's dev transport POSTs each message to the same local server, which keeps
// it as an .eml file in .mail/ (open one with any mail client, or read it as text).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { stopGroup } from "./process-group.ts";
import { createAdminClient } from "./moderate/api.ts";
import { readDevVar } from "./moderate/config.ts";
import { postsOnWorker, prepareImport, sendImport } from "./moderate/import.ts";

const ROOT = join(import.meta.dirname, "..");
const SITE_PORT = Number(process.env.PORT ?? 8080);
const WORKER_PORT = Number(process.env.WORKER_PORT ?? 8787);
const SITE_URL = process.env.SITE_URL ?? `http://localhost:${SITE_PORT}`;
const COMMENTS_API_URL = process.env.COMMENTS_API_URL ?? `http://localhost:${WORKER_PORT}`;
const DEV_VARS = join(ROOT, ".dev.vars");
const SEED = join(ROOT, "comments", "seed.json");
const HOOK_PORT = Number(process.env.HOOK_PORT ?? 8790);
/** Watched by Eleventy (.eleventy.ts): writing it rebuilds the site with the comments of the version it names. */
const REBUILD_TRIGGER = join(ROOT, ".cache", "comments-changed");
/** Every message the worker sends under `npm start`, one .eml file each (git-ignored). */
const MAIL_DIR = join(ROOT, ".mail");

/** Creates .dev.vars from the example with a random moderator token, unless it exists; returns the token. */
function ensureDevVars(): string {
  if (!existsSync(DEV_VARS)) {
    const example = readFileSync(join(ROOT, ".dev.vars.example"), "utf8");
    const token = randomBytes(24).toString("hex");
    writeFileSync(DEV_VARS, example.replace(/^MODERATOR_TOKEN=.*$/m, `MODERATOR_TOKEN=${token}`), { mode: 0o600 });
    console.log("Created .dev.vars with a new random MODERATOR_TOKEN.");
  }
  const token = readDevVar(DEV_VARS, "MODERATOR_TOKEN");
  if (!token) throw new Error(".dev.vars has no MODERATOR_TOKEN line: add one, or delete the file to get a new one.");
  // The key that seals addresses at rest (worker/mail/address-seal.ts), the one that signs the "manage my comments"
  // link in every mail (worker/mail/manage-link.ts) and the one that signs the one-click Approve, Reject and Spam links
  // in moderators' mail (worker/desk/action-links.ts); added to a .dev.vars made before they existed.
  ensureDevSecret("MAIL_KEYS", `dev1:${randomBytes(32).toString("base64")}`);
  ensureDevSecret("MANAGE_SECRET", randomBytes(32).toString("base64url"));
  ensureDevSecret("LINK_SECRET", randomBytes(32).toString("base64url"));
  return token;
}

/** Gives .dev.vars a random value for `name` when it has none (an empty `name=` line is filled in). */
function ensureDevSecret(name: string, value: string): void {
  if (readDevVar(DEV_VARS, name)) return;
  const text = readFileSync(DEV_VARS, "utf8");
  const line = `${name}=${value}`;
  const existing = new RegExp(`^${name}=.*$`, "m");
  if (existing.test(text)) writeFileSync(DEV_VARS, text.replace(existing, line), { mode: 0o600 });
  else appendFileSync(DEV_VARS, `${text.endsWith("\n") ? "" : "\n"}${line}\n`);
  console.log(`Added a new random ${name} to .dev.vars.`);
}

const children: ChildProcess[] = [];

function run(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", ...env },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  children.push(child);
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`${command} ${args[0]} stopped (exit ${code}); stopping everything.`);
      void stop(1);
    }
  });
  return child;
}

let stopping = false;

/** Stops every child's whole process group and waits until they are gone, so Ctrl-C leaves no port taken. */
async function stop(code = 0): Promise<never> {
  stopping = true;
  await Promise.all(children.map((child) => stopGroup(child)));
  process.exit(code);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

async function waitForWorker(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${COMMENTS_API_URL}/api/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`The comment worker did not answer on ${COMMENTS_API_URL} within 60 s.`);
}

/** Imports the comments that came from the old site, as `npm run moderate -- import` would (idempotent). */
async function importSeed(token: string): Promise<void> {
  const client = createAdminClient({ url: COMMENTS_API_URL, token });
  const report = await sendImport(client, await prepareImport(SEED, {}, (slugs) => postsOnWorker(client, slugs)), {});
  if (report.problems.length > 0) throw new Error(`Importing comments/seed.json failed: ${report.problems.join("; ")}`);
}

/** The version a hook request asks the build to bake (its body as GitHub's repository_dispatch has it), or null. */
function versionAskedFor(body: string): number | null {
  try {
    const version = (JSON.parse(body) as { client_payload?: { version?: unknown } }).client_payload?.version;
    return typeof version === "number" && Number.isInteger(version) && version >= 0 ? version : null;
  } catch {
    return null;
  }
}

const writeTrigger = (version: number | null) =>
  writeFileSync(REBUILD_TRIGGER, `${JSON.stringify({ version, at: new Date().toISOString() })}\n`);

/** The `version` in a JSON file, or -1 when there is none (not built yet, or being written). */
function versionIn(path: string): number {
  try {
    const version = (JSON.parse(readFileSync(path, "utf8")) as { version?: unknown }).version;
    return typeof version === "number" ? version : -1;
  } catch {
    return -1;
  }
}

/** How long a build asked for is taken to be under way: the same version asked again sooner adds no build. */
const BUILD_GRACE_MS = 15_000;

/**
 * Whether a hook call asks for a build not already under way: the worker asks again when the site has not caught up
 * by its next check, and on a busy machine a build can take longer than that; a second build of the same version
 * would only queue behind the first. After BUILD_GRACE_MS it is asked for again, in case the first was missed.
 */
function buildNeeded(version: number | null): boolean {
  if (version === null || versionIn(REBUILD_TRIGGER) !== version) return true;
  const built = versionIn(join(ROOT, "_site", "comments-version.json"));
  return built >= version || Date.now() - statSync(REBUILD_TRIGGER).mtimeMs > BUILD_GRACE_MS;
}

/** The local deploy hook: the worker POSTs here when readers' view changed, with the version to bake. */
function startRebuildHook(): void {
  mkdirSync(join(ROOT, ".cache"), { recursive: true });
  writeTrigger(null);
  const server = createServer((req, res) => {
    if (req.method === "POST" && req.url === "/mail") {
      keepMail(req).then(() => res.writeHead(202).end(), () => res.writeHead(500).end());
      return;
    }
    if (req.method !== "POST" || req.url !== "/rebuild") return void res.writeHead(405).end();
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const version = versionAskedFor(body);
      const needed = buildNeeded(version);
      console.log(`[hook] the worker asks for a rebuild with publication version ${version}${needed ? "" : " (a build of it is under way)"}`);
      if (needed) writeTrigger(version);
      res.writeHead(202).end();
    });
  });
  server.listen(HOOK_PORT, "127.0.0.1");
  server.unref();
}

let mailCount = 0;

/** Keeps one message from the worker's dev mail transport as `.mail/<time>-<n>.eml`, sorted in sending order. */
async function keepMail(req: AsyncIterable<Buffer>): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  mkdirSync(MAIL_DIR, { recursive: true });
  const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${String(++mailCount).padStart(3, "0")}.eml`;
  writeFileSync(join(MAIL_DIR, name), Buffer.concat(chunks));
  console.log(`Mail kept in .mail/${name}`);
}

const token = ensureDevVars();
startRebuildHook();
run("npx", ["wrangler", "dev", "--port", String(WORKER_PORT), "--show-interactive-dev-session=false",
  "--var", `SITE_URL:${SITE_URL}`, "--var", `ALLOWED_ORIGINS:${SITE_URL},${SITE_URL.replace("localhost", "127.0.0.1")}`,
  "--var", `DEPLOY_HOOK_URL:http://127.0.0.1:${HOOK_PORT}/rebuild`, "--var", "DEPLOY_HOOK_MIN_INTERVAL_SECONDS:5",
  "--var", `COMMENTS_API_URL:${COMMENTS_API_URL}`, "--var", "MAIL_TRANSPORT:dev", "--var", `MAIL_DEV_URL:http://127.0.0.1:${HOOK_PORT}/mail`]);
await waitForWorker();
await importSeed(token);
run("npx", ["eleventy", "--config=.eleventy.ts", "--serve", "--port", String(SITE_PORT)], { SITE_URL, COMMENTS_API_URL, COMMENTS_VERSION_FILE: REBUILD_TRIGGER });

console.log(`
  Leadership Academy blog      ${SITE_URL}
  Comment service (worker)     ${COMMENTS_API_URL}
  Moderation page              ${COMMENTS_API_URL}/admin   (token: MODERATOR_TOKEN in .dev.vars)
  Moderate from a terminal     npm run moderate -- list
  Mail the worker sends        .mail/*.eml   (kept here: nothing leaves this machine; docs/mail.md)

  Comments are kept in .wrangler/state between runs; an approval rebuilds the site's pages within seconds.
  Press Ctrl-C to stop.
`);
