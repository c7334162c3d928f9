// `npm start` as a newcomer runs it: in a fresh copy of the project it creates .dev.vars, starts the worker and
// the site, imports the shipped comments, says where everything is, rebuilds the static HTML whenever readers' view
// changes (an approval, an author's or a moderator's delete, an author's edit, the last comment going), until the
// site serves the publication version the worker owes it, and stops everything on Ctrl-C.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
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
    // DEV_TEST_LOG=<file>: keep what npm start printed, to see why a timing failed.
    if (process.env.DEV_TEST_LOG) writeFileSync(process.env.DEV_TEST_LOG, output);
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

  /** The post page's HTML and the names and texts in its JSON-LD, as a crawler reads them. */
  async function postPage(post = POST): Promise<{ html: string; ld: string }> {
    const html = await (await fetch(`${siteUrl}/posts/${post}/`)).text();
    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    return { html, ld };
  }

  const moderator = (path: string, init: RequestInit = {}) =>
    fetch(`${workerUrl}/api/admin${path}`, { ...init, headers: { authorization: `Bearer ${token()}`, "content-type": "application/json" } });

  // Each reader from their own address (wrangler dev passes the header on), so the rate limit stays out of it.
  let reader = 0;
  const readerIp = () => `192.0.2.${++reader}`;

  /** Submits as the page's script does (keeping the edit token), approves, and waits until the page has it. */
  async function approvedInPage(author: string, body: string): Promise<{ id: string; editToken: string }> {
    const response = await fetch(`${workerUrl}/api/comments`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: siteUrl, "cf-connecting-ip": readerIp() },
      body: JSON.stringify({ post: POST, author, email: `${author.replace(/\W/g, "")}@example.org`, body }),
    });
    const sent = (await response.json()) as { id: string; editToken: string };
    expect((await moderator(`/comments/${sent.id}/approve`, { method: "POST" })).status).toBe(200);
    await expect.poll(async () => (await postPage()).html.includes(body), { timeout: 60_000, interval: 500 }).toBe(true);
    return sent;
  }

  const byAuthor = (sent: { id: string; editToken: string }, method: string, body?: unknown) =>
    fetch(`${workerUrl}/api/comments/${sent.id}`, {
      method,
      headers: { authorization: `Bearer ${sent.editToken}`, "content-type": "application/json", origin: siteUrl, "cf-connecting-ip": readerIp() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /** Polls the post page until neither its HTML nor its JSON-LD holds `text` (60 s: the bound readers are promised). */
  const goneFromPage = (text: string) =>
    expect.poll(async () => {
      const { html, ld } = await postPage();
      return html.includes(text) || ld.includes(text);
    }, { timeout: 60_000, interval: 500 }).toBe(false);

  it("removes a comment its author deleted with the edit token from the page's HTML and JSON-LD within 60 s", async () => {
    const sent = await approvedInPage("Author Withdraws", "I would rather take this back.");
    expect((await postPage()).ld).toContain("Author Withdraws");
    expect((await byAuthor(sent, "DELETE")).status).toBe(204);
    await goneFromPage("Author Withdraws");
  });

  it("removes a comment a moderator deleted from the page's HTML and JSON-LD within 60 s", async () => {
    const sent = await approvedInPage("Moderator Removes", "A comment a moderator will remove.");
    expect((await moderator(`/comments/${sent.id}`, { method: "DELETE" })).status).toBe(204);
    await goneFromPage("Moderator Removes");
  });

  it("takes an author's edited text out of the page, and puts the new text in once it is approved again", async () => {
    const sent = await approvedInPage("Author Edits", "The text before the edit.");
    expect((await byAuthor(sent, "PATCH", { body: "The text after the edit." })).status).toBe(200);
    await goneFromPage("The text before the edit.");
    expect((await moderator(`/comments/${sent.id}/approve`, { method: "POST" })).status).toBe(200);
    await expect.poll(async () => (await postPage()).html.includes("The text after the edit."), { timeout: 60_000, interval: 500 }).toBe(true);
  });

  it("serves the publication version it baked, and the worker's owed rebuild clears once it has", async () => {
    await expect.poll(async () => {
      const status = (await (await moderator("/status")).json()) as { version: number; liveVersion: number; owedVersion: number | null };
      const baked = (await (await fetch(`${siteUrl}/comments-version.json`)).json()) as { version: number };
      return status.owedVersion === null && status.liveVersion === status.version && baked.version === status.version;
    }, { timeout: 60_000, interval: 1000 }).toBe(true);
  });

  it("leaves the post pages with no comments once the site's last comment is deleted", async () => {
    const approved = (await (await moderator("/comments?status=approved")).json()) as { comments: { id: string }[] };
    expect(approved.comments.length).toBeGreaterThan(0);
    for (const { id } of approved.comments) expect((await moderator(`/comments/${id}`, { method: "DELETE" })).status).toBe(204);
    await expect.poll(async () => {
      const pages = await Promise.all([POST, "local-leadership-capabilities"].map((post) => postPage(post)));
      return pages.some(({ html }) => html.includes('class="comment"')) || pages.some(({ ld }) => ld.includes('"comment"'));
    }, { timeout: 60_000, interval: 500 }).toBe(false);
    expect((await postPage("local-leadership-capabilities")).html).not.toContain("Dr Richard Jones");
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
