// Fuzzing an author's edit (PATCH /api/comments/:id): generated texts and wrong-typed values sent with the
// right token. Whatever arrives: never a 5xx, either 200 with exactly the text the submission rules would store, or
// 422 naming `body` (413 for a request over 16 KB) with the comment unchanged. Random tokens on random paths are covered by fuzz.test.ts.
import { reset } from "cloudflare:test";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { BODY_MAX, MAX_SUBMISSION_BYTES } from "../../../worker/intake/schema.ts";
import { fieldValue } from "../fuzz-arbitraries.ts";
import { admin, call, randomIp, SITE, submit, validComment } from "../helpers.ts";

afterAll(() => reset());

const CONTROL_EXCEPT_NEWLINE_TAB = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** What the submission rules store for `value`, written apart from worker/intake/schema.ts; null when it must be refused. */
function expectedText(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const text = value.replace(/\r\n?/g, "\n").trim();
  if (text === "" || text.length > BODY_MAX || CONTROL_EXCEPT_NEWLINE_TAB.test(text) || !text.isWellFormed()) return null;
  return text;
}

describe("PATCH /api/comments/:id (fuzzed texts)", () => {
  it("stores exactly the valid texts and refuses the rest with 422 naming body, never a 5xx", async () => {
    const sent = (await (await submit(validComment({ body: "The first text." }))).json()) as { id: string; editToken: string };
    let current = "The first text.";
    await fc.assert(
      fc.asyncProperty(fieldValue, async (value) => {
        const body = JSON.stringify({ body: value });
        const response = await call(`/api/comments/${sent.id}`, {
          method: "PATCH",
          headers: { authorization: `Bearer ${sent.editToken}`, "content-type": "application/json", origin: SITE, "cf-connecting-ip": randomIp() },
          body,
        });
        const expected = expectedText(value);
        const stored = ((await (await admin(`/comments/${sent.id}`)).json()) as { comment: { body: string } }).comment.body;
        if (new TextEncoder().encode(body).length > MAX_SUBMISSION_BYTES) {
          expect(response.status).toBe(413);
          expect(stored).toBe(current);
        } else if (expected === null) {
          expect(response.status).toBe(422);
          expect(Object.keys(((await response.json()) as { fields: object }).fields)).toEqual(["body"]);
          expect(stored).toBe(current);
        } else {
          expect(response.status).toBe(200);
          expect(stored).toBe(expected);
          current = expected;
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
