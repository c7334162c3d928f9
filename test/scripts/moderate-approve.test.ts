// The CLI's `approve` approves the text it read: it reads the comment, names the text revision in its output and
// sends it, so a comment edited in between is refused (409) and reported, never approved unseen. Against a stand-in
// worker on loopback that records what it was asked.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../scripts/moderate/cli.ts";

const ID = "01JDV5Z0000000000000000000";
const STALE = "This comment was edited after you loaded it: read it again before approving.";
const requests: string[] = [];
let server: Server;
let url: string;
/** The revision the stand-in holds now, and the one it reports when asked (they differ: an edit came in between). */
let current = 2;
let reported = 1;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.method === "GET" && req.url === `/api/admin/comments/${ID}`) {
      return json(200, { comment: { id: ID, post: "p", parentId: null, author: "A", email: null, website: null, body: "B", createdAt: "2026-11-23T09:00:00.000Z", status: "pending", moderatedAt: null }, postTitle: "P", revision: reported });
    }
    const approve = new RegExp(`^/api/admin/comments/${ID}/approve\\?revision=(\\d+)$`).exec(req.url ?? "");
    if (req.method === "POST" && approve) {
      if (Number(approve[1]) !== current) return json(409, { error: "conflict", message: STALE });
      return json(200, { id: ID, status: "approved", moderatedAt: "2026-11-23T10:00:00.000Z", published: true });
    }
    json(404, { error: "not_found", message: "There is nothing at this address." });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function approve(): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), env: { COMMENTS_API_URL: url, MODERATOR_TOKEN: "t".repeat(32) }, columns: 100 };
  const code = await runCli(["approve", ID], io);
  return { code, out, err };
}

describe("npm run moderate -- approve", () => {
  it("sends the text revision it read, and names it in its output", async () => {
    requests.length = 0;
    current = 1;
    reported = 1;
    const { code, out } = await approve();
    expect(code).toBe(0);
    expect(requests).toEqual([`GET /api/admin/comments/${ID}`, `POST /api/admin/comments/${ID}/approve?revision=1`]);
    expect(out).toEqual([`approved ${ID} (text revision 1)`]);
  });

  it("prints the worker's 409 message and exits 1 when the text changed after it was read", async () => {
    current = 2;
    reported = 1;
    const { code, out, err } = await approve();
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err.join("\n")).toContain(`could not approve ${ID}: ${STALE} (409)`);
  });
});
