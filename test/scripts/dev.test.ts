// `npm start` as a newcomer runs it: in a fresh copy of the project it creates .dev.vars, starts the worker and
// the site, imports the shipped comments, says where everything is, rebuilds the static HTML when a moderator
// approves a comment, and stops everything on Ctrl-C.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/wrangler-dev.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const SOURCES = ["package.json", ".eleventy.ts", "wrangler.toml", ".dev.vars.example", "worker", "site", "layouts", "posts", "client", "admin", "scripts", "comments"];
const POST = "system-leadership-matters";

describe("npm start", () => {
  let project: string;
  let child: ChildProcess;
  let output = "";
  let siteUrl: string;
  let workerUrl: string;

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), "npm-start-"));
    for (const source of SOURCES) cpSync(join(ROOT, source), join(project, source), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(project, "node_modules"), "dir");
    const [sitePort, workerPort, hookPort] = [await freePort(), await freePort(), await freePort()];
    siteUrl = `http://localhost:${sitePort}`;
    workerUrl = `http://localhost:${workerPort}`;
    child = spawn("npm", ["start"], {
      cwd: project,
      env: { ...process.env, PORT: String(sitePort), WORKER_PORT: String(workerPort), HOOK_PORT: String(hookPort), WRANGLER_SEND_METRICS: "false" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 90_000;
    const siteAnswers = () => fetch(`${siteUrl}/posts/${POST}/`).then((r) => r.ok, () => false);
    while (!output.includes("Press Ctrl-C to stop") || !(await siteAnswers())) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  afterAll(() => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already stopped
    }
  });

  const token = () => /^MODERATOR_TOKEN=(.+)$/m.exec(readFileSync(join(project, ".dev.vars"), "utf8"))?.[1] ?? "";

  it("creates .dev.vars with a random moderator token and prints where everything is", () => {
    expect(token()).toMatch(/^[0-9a-f]{48}$/);
    expect(output).toContain(`Leadership Academy blog      ${siteUrl}`);
    expect(output).toContain(`Comment service (worker)     ${workerUrl}`);
    expect(output).toContain(`${workerUrl}/admin`);
    expect(output).toContain("npm run moderate -- list");
  });

  it("serves the site and the worker, with the shipped reply imported", async () => {
    expect((await fetch(`${siteUrl}/`)).status).toBe(200);
    const thread = (await (await fetch(`${workerUrl}/api/comments?post=local-leadership-capabilities`)).json()) as { comments: { author: string }[] };
    expect(thread.comments.map((c) => c.author)).toEqual(["Dr Richard Jones"]);
  });

  it("puts an approved comment into the running site's static HTML within seconds", async () => {
    const submitted = await fetch(`${workerUrl}/api/comments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ post: POST, author: "Approved Live", email: "live@example.org", body: "Straight into the HTML." }),
    });
    const { id } = (await submitted.json()) as { id: string };
    const approved = await fetch(`${workerUrl}/api/admin/comments/${id}/approve`, { method: "POST", headers: { authorization: `Bearer ${token()}` } });
    expect(approved.status).toBe(200);
    await expect.poll(async () => (await (await fetch(`${siteUrl}/posts/${POST}/`)).text()).includes("Approved Live"), { timeout: 10_000, interval: 250 }).toBe(true);
  });

  it("stops the site and the worker on Ctrl-C", async () => {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    // A terminal's Ctrl-C: SIGINT to the whole foreground process group (npm and the dev script).
    process.kill(-child.pid!, "SIGINT");
    await exited;
    expect(output).not.toContain("stopped (exit");
    await expect.poll(async () => {
      const answers = await Promise.all([siteUrl, workerUrl].map((url) => fetch(url).then(() => true, () => false)));
      return answers.some(Boolean);
    }, { timeout: 10_000 }).toBe(false);
    const leftovers = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n").filter((line) => line.includes(project));
    expect(leftovers).toEqual([]);
  });
});
