// The moderation CLI's mail commands as an owner runs them: `moderators add --email`, `moderators mail on|off` and
// `moderators email`, a real process against the real worker under `wrangler dev` with mail on, the development
// transport pointed at a local catcher (as npm start's .mail/ folder), so what a moderator receives is checked too.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startWorker, type RunningWorker } from "../support/wrangler-dev.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");
const POST = "local-leadership-capabilities";
const PATIENCE = { timeout: 15_000 };

let worker: RunningWorker;
let catcher: Server;
const caught: string[] = [];
let reader = 0;

beforeAll(async () => {
  const port = await freePort();
  catcher = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("latin1")));
    request.on("end", () => (caught.push(body), response.end()));
  });
  await new Promise<void>((resolve) => catcher.listen(port, "127.0.0.1", resolve));
  worker = await startWorker({
    env: "test",
    vars: {
      MAIL_KEYS: `k1:${randomBytes(32).toString("base64")}`, MAIL_TRANSPORT: "dev", MAIL_DEV_URL: `http://127.0.0.1:${port}/mail`,
      MAIL_FROM: "comments@localhost", COMMENTS_API_URL: "http://localhost:8787", LINK_SECRET: randomBytes(32).toString("hex"),
      MAIL_RECIPIENT_GAP_MINUTES: "0",
    },
  });
});

afterAll(async () => {
  await worker?.stop();
  catcher?.close();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function moderate(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, ["scripts/moderate.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, COMMENTS_API_URL: worker.url, MODERATOR_TOKEN: worker.token, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function submit(body: string): Promise<string> {
  reader++;
  const response = await fetch(`${worker.url}/api/comments`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": `192.0.2.${reader % 250}` },
    body: JSON.stringify({ post: POST, author: "Jane Reader", email: `reader${reader}@example.org`, body }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

/** A caught message's text as a mail client shows it (quoted-printable undone). */
const decoded = (mime: string) => mime.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
const mailsTo = (address: string, marker: string) => caught.map(decoded).filter((mail) => mail.includes(`To: ${address}\r\n`) && mail.includes(marker));
/** Long enough for the ledger's alarm to send a mail queued by a comment (it is due at once): "nothing came" means it. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2000));

describe("moderate moderators: mail about comments held for moderation", () => {
  it("adds Bea with --email: a held comment mails her, with one-click links made out to her", async () => {
    const address = `bea-${Date.now()}@example.org`;
    const added = await moderate(["moderators", "add", "Bea", "--email", address]);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("Bea's address is kept (sealed); they are emailed about comments held for moderation.");
    expect(added.stdout).not.toContain(address);
    const marker = `bea${Date.now().toString(36)}`;
    const id = await submit(`Please look ${marker}`);
    await expect.poll(() => mailsTo(address, marker).length, PATIENCE).toBe(1);
    const mail = mailsTo(address, marker)[0]!;
    const token = /Approve: http:\/\/localhost:8787\/admin\/act\/([A-Za-z0-9_-]+)\./.exec(mail)?.[1];
    expect(token).toBeDefined();
    const claims = JSON.parse(Buffer.from(token!, "base64url").toString()) as { id: string; moderator: string; action: string };
    expect(claims).toMatchObject({ id, moderator: "Bea", action: "approve" });
  });

  it("turns Bea's mail off and on with moderators mail, and removes her address with moderators email none", async () => {
    const address = `bea2-${Date.now()}@example.org`;
    expect((await moderate(["moderators", "email", "Bea", address])).stdout.trim()).toBe("Bea's address is kept (sealed).");
    const off = await moderate(["moderators", "mail", "Bea", "off"]);
    expect(off.code).toBe(0);
    expect(off.stdout.trim()).toBe("Bea: mail about comments held for moderation is off");
    const quiet = `quiet${Date.now().toString(36)}`;
    await submit(`While off ${quiet}`);
    expect((await moderate(["moderators", "mail", "Bea", "on"])).stdout.trim()).toBe("Bea: mail about comments held for moderation is on");
    const loud = `loud${Date.now().toString(36)}`;
    await submit(`While on ${loud}`);
    await expect.poll(() => mailsTo(address, loud).length, PATIENCE).toBe(1);
    expect(mailsTo(address, quiet)).toEqual([]);

    const removed = await moderate(["moderators", "email", "Bea", "none"]);
    expect(removed.stdout.trim()).toBe("Bea's address is removed: they are mailed nothing.");
    expect((await moderate(["moderators", "mail", "Bea", "on"])).stdout.trim())
      .toBe("Bea: mail about comments held for moderation is on (no address is set for them, so nothing is sent)");
    const gone = `gone${Date.now().toString(36)}`;
    await submit(`After removal ${gone}`);
    await settle();
    expect(mailsTo(address, gone)).toEqual([]);
  });

  it("refuses a bad address or state as a usage error (exit 2) before adding anyone, and an unknown name with 1", async () => {
    const bad = await moderate(["moderators", "add", "Cy", "--email", "not an address"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--email: Enter a valid email address");
    expect((await moderate(["moderators", "list"])).stdout).not.toMatch(/^Cy\s/m);
    const state = await moderate(["moderators", "mail", "Bea", "maybe"]);
    expect(state.code).toBe(2);
    expect(state.stderr).toContain("moderators mail must be one of on, off");
    const unknown = await moderate(["moderators", "mail", "Nobody", "off"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("There is no active moderator with that name. (404)");
  });
});
