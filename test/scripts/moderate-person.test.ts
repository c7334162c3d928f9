// `npm run moderate -- person export|erase <email>` as an owner runs it: a real process against the real worker
// under `wrangler dev` on loopback, asserting on what it prints and its exit code.
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type RunningWorker } from "../support/wrangler-dev.ts";
import { runModerate } from "../support/moderate-cli.ts";

const POST = "local-leadership-capabilities";

let worker: RunningWorker;
let reader = 0;

beforeAll(async () => {
  worker = await startWorker();
});

afterAll(async () => {
  await worker?.stop();
});

const moderate = (args: string[], env: Record<string, string> = {}) => runModerate(worker, args, env);

async function submit(email: string, body: string): Promise<string> {
  reader++;
  const response = await fetch(`${worker.url}/api/comments`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": `198.51.100.${reader % 250}` },
    body: JSON.stringify({ post: POST, author: "Pat Person", email, body }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

describe("moderate person export", () => {
  it("prints everything held about the address as JSON, with an empty subscriptions list", async () => {
    const id = await submit("pat.export@example.org", "Pat's exported thought");
    const { code, stdout } = await moderate(["person", "export", "pat.export@example.org"]);
    expect(code).toBe(0);
    const data = JSON.parse(stdout) as { comments: { id: string; body: string; status: string }[]; subscriptions: unknown[] };
    expect(data.comments).toEqual([expect.objectContaining({ id, body: "Pat's exported thought", status: "pending" })]);
    expect(data.subscriptions).toEqual([]);
  });

  it("writes the JSON to a file only its owner can read with --output", async () => {
    await submit("pat.file@example.org", "Pat's filed thought");
    const file = join(mkdtempSync(join(tmpdir(), "person-")), "pat.json");
    const { code, stdout } = await moderate(["person", "export", "pat.file@example.org", "--output", file]);
    expect(code).toBe(0);
    expect(stdout).toContain(file);
    expect(readFileSync(file, "utf8")).toContain("Pat's filed thought");
    expect(statSync(file).mode & 0o077).toBe(0);
  });
});

describe("moderate person erase", () => {
  it("with --yes erases the comments and prints a receipt with counts; export then finds nothing", async () => {
    await submit("pat.erase@example.org", "Pat's first erasable thought");
    await submit("pat.erase@example.org", "Pat's second erasable thought");
    const { code, stdout } = await moderate(["person", "erase", "pat.erase@example.org", "--yes"]);
    expect(code).toBe(0);
    expect(stdout).toContain("erased 2 comments by pat.erase@example.org");
    expect(stdout).toMatch(/KV comment records deleted:\s+2/);
    expect(stdout).toMatch(/edit grants removed:\s+2/);
    const after = await moderate(["person", "export", "pat.erase@example.org"]);
    expect((JSON.parse(after.stdout) as { comments: unknown[] }).comments).toEqual([]);
  });

  it("without --yes and without a terminal to ask, erases nothing and exits 2", async () => {
    await submit("pat.kept@example.org", "Pat's kept thought");
    const { code, stderr } = await moderate(["person", "erase", "pat.kept@example.org"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--yes");
    const after = await moderate(["person", "export", "pat.kept@example.org"]);
    expect((JSON.parse(after.stdout) as { comments: unknown[] }).comments).toHaveLength(1);
  });

  it("answers an unknown address with a 0-count receipt", async () => {
    const { code, stdout } = await moderate(["person", "erase", "nobody.here@example.org", "--yes"]);
    expect(code).toBe(0);
    expect(stdout).toContain("erased 0 comments");
    expect(stdout).toContain("site rebuild:                 not needed");
  });

  it("exits 2 naming the problem when the address or the verb is missing", async () => {
    for (const args of [["person"], ["person", "erase"], ["person", "forget", "a@example.org"], ["person", "export", "not-an-address"]]) {
      const { code, stderr } = await moderate(args);
      expect(code).toBe(2);
      expect(stderr).toMatch(/person needs export or erase|not an email address/);
    }
  });
});
