import { describe, expect, it } from "vitest";
import {
  AUTHOR_MAX,
  BODY_MAX,
  EMAIL_MAX,
  IMPORT_BODY_MAX,
  ImportItemSchema,
  ImportSchema,
  MAX_IMPORT_ITEMS,
  SubmissionSchema,
  validate,
  WEBSITE_MAX,
} from "../../../worker/intake/schema.ts";

const valid = { post: "local-leadership-capabilities", author: "Ada", email: "ada@example.org", body: "Hello" };

function check(overrides: Record<string, unknown>) {
  return validate(SubmissionSchema, { ...valid, ...overrides });
}

function fieldsOf(overrides: Record<string, unknown>) {
  const result = check(overrides);
  return result.ok ? {} : result.fields;
}

/** An email address of exactly `length` characters. */
function emailOfLength(length: number): string {
  const domain = "@example.org";
  return "a".repeat(length - domain.length) + domain;
}

describe("SubmissionSchema", () => {
  it("accepts a minimal comment and fills the optional fields with null", () => {
    const result = check({});
    expect(result).toEqual({ ok: true, value: { ...valid, website: null, parentId: null, subscribe: false } });
  });

  it("names every failing field at once", () => {
    const result = validate(SubmissionSchema, {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.fields).sort()).toEqual(["author", "body", "email", "post"]);
  });

  it("accepts a name of exactly 100 characters and rejects 101", () => {
    expect(check({ author: "n".repeat(AUTHOR_MAX) }).ok).toBe(true);
    expect(fieldsOf({ author: "n".repeat(AUTHOR_MAX + 1) })).toHaveProperty("author");
  });

  it("rejects a name that is empty after trimming", () => {
    expect(fieldsOf({ author: "   " })).toEqual({ author: "Enter your name." });
  });

  it("accepts an email of exactly 254 characters and rejects 255", () => {
    expect(check({ email: emailOfLength(EMAIL_MAX) }).ok).toBe(true);
    expect(fieldsOf({ email: emailOfLength(EMAIL_MAX + 1) })).toHaveProperty("email");
  });

  it("accepts the addresses the browser's email field accepts, apostrophes included", () => {
    for (const email of ["o'brien@nhs.net", "first.last+tag@sub.example.co.uk"]) expect(check({ email }).ok).toBe(true);
  });

  it("rejects malformed email addresses", () => {
    for (const email of ["", "no-at-sign", "a@", "@example.org", "a b@example.org", "a@exa mple.org"]) {
      expect(fieldsOf({ email })).toHaveProperty("email");
    }
  });

  it("accepts a website of exactly 200 characters and rejects 201", () => {
    const prefix = "https://example.org/";
    expect(check({ website: prefix + "p".repeat(WEBSITE_MAX - prefix.length) }).ok).toBe(true);
    expect(fieldsOf({ website: prefix + "p".repeat(WEBSITE_MAX - prefix.length + 1) })).toHaveProperty("website");
  });

  it("accepts only http and https websites, so no javascript: or data: link is ever stored", () => {
    expect(check({ website: "http://example.org" }).ok).toBe(true);
    for (const website of ["javascript:alert(1)", "data:text/html,<script>", "ftp://example.org", "example.org", "https://", "https://exa mple.org"]) {
      expect(fieldsOf({ website })).toHaveProperty("website");
    }
  });

  it("treats an empty website or parentId (as the form sends them) as not given", () => {
    const result = check({ website: "", parentId: "" });
    expect(result.ok && result.value).toMatchObject({ website: null, parentId: null });
  });

  it("accepts a comment of exactly 5000 characters after trimming and rejects 5001", () => {
    expect(check({ body: `  ${"b".repeat(BODY_MAX)}\n ` }).ok).toBe(true);
    expect(fieldsOf({ body: "b".repeat(BODY_MAX + 1) })).toHaveProperty("body");
  });

  it("rejects a comment that is only whitespace", () => {
    expect(fieldsOf({ body: " \n\t " })).toEqual({ body: "Write a comment." });
  });

  it("keeps newlines and tabs in the comment and turns CRLF into LF", () => {
    const result = check({ body: "one\r\ntwo\tcolumns\rthree" });
    expect(result.ok && result.value.body).toBe("one\ntwo\tcolumns\nthree");
  });

  it("rejects control characters other than newline and tab in the comment", () => {
    for (const ch of ["\u0000", "\u0007", "\u001B", "\u007F", "\u0085", "\u009F"]) {
      expect(fieldsOf({ body: `a${ch}b` })).toHaveProperty("body");
    }
  });

  it("rejects any control character, newlines included, in the name", () => {
    for (const ch of ["\n", "\t", "\u0000"]) expect(fieldsOf({ author: `Ada${ch}Reader` })).toHaveProperty("author");
  });

  it("keeps every other Unicode character as written", () => {
    const body = "Café ☕ 👩🏽‍⚕️ עברית \u202Eevil\u202C zero\u200Bwidth 漢字";
    const result = check({ body, author: "Zoë Ó Briain" });
    expect(result.ok && result.value).toMatchObject({ body, author: "Zoë Ó Briain" });
  });

  it("rejects lone surrogates, which are not Unicode text", () => {
    expect(fieldsOf({ body: "a\uD800b" })).toHaveProperty("body");
    expect(fieldsOf({ author: "\uDC00" })).toHaveProperty("author");
  });

  it("rejects fields of the wrong type with the field's message", () => {
    expect(fieldsOf({ author: 42, body: ["x"], website: 1, parentId: {} })).toEqual({
      author: "Enter your name.",
      body: "Write a comment.",
      website: "The website must be text.",
      parentId: "The comment you reply to is unknown.",
    });
  });

  it("rejects a parentId that is not a valid id", () => {
    expect(fieldsOf({ parentId: "../../etc" })).toHaveProperty("parentId");
    expect(fieldsOf({ parentId: "x".repeat(65) })).toHaveProperty("parentId");
    expect(check({ parentId: "x".repeat(64) }).ok).toBe(true);
  });

  it("drops fields it does not know", () => {
    const result = check({ status: "approved", id: "chosen", reference: "" });
    expect(result.ok && Object.keys(result.value).sort()).toEqual(["author", "body", "email", "parentId", "post", "subscribe", "website"]);
  });
});

describe("SubmissionSchema's subscribe", () => {
  it("takes true from the API and on from the form's checkbox, and is false when absent", () => {
    expect(validate(SubmissionSchema, { ...valid, subscribe: true })).toMatchObject({ ok: true, value: { subscribe: true } });
    expect(validate(SubmissionSchema, { ...valid, subscribe: "on" })).toMatchObject({ ok: true, value: { subscribe: true } });
    expect(validate(SubmissionSchema, { ...valid, subscribe: false })).toMatchObject({ ok: true, value: { subscribe: false } });
    expect(validate(SubmissionSchema, valid)).toMatchObject({ ok: true, value: { subscribe: false } });
  });

  it("refuses anything else, naming the field", () => {
    expect(validate(SubmissionSchema, { ...valid, subscribe: "yes" })).toMatchObject({ ok: false, fields: { subscribe: "subscribe must be true or false." } });
    expect(validate(SubmissionSchema, { ...valid, subscribe: 1 })).toMatchObject({ ok: false, fields: { subscribe: "subscribe must be true or false." } });
  });
});

describe("ImportItemSchema", () => {
  const legacy = { post: "local-leadership-capabilities", author: "Dr Richard Jones", body: "Reply", createdAt: "2012-11-02T10:00:00Z" };

  it("accepts a legacy comment without email, id or status and approves it", () => {
    const result = validate(ImportItemSchema, legacy);
    expect(result.ok && result.value).toMatchObject({ id: null, email: null, website: null, status: "approved", moderatedAt: null });
  });

  it(`takes a published comment past the submission limit, up to ${IMPORT_BODY_MAX} characters and not one more`, () => {
    expect(validate(ImportItemSchema, { ...legacy, body: "b".repeat(BODY_MAX + 1) }).ok).toBe(true);
    expect(validate(ImportItemSchema, { ...legacy, body: "b".repeat(IMPORT_BODY_MAX) }).ok).toBe(true);
    const over = validate(ImportItemSchema, { ...legacy, body: "b".repeat(IMPORT_BODY_MAX + 1) });
    expect(over.ok ? null : over.fields).toEqual({ body: `An imported comment can be at most ${IMPORT_BODY_MAX} characters.` });
  });

  it("normalises createdAt to ISO 8601 in UTC", () => {
    const result = validate(ImportItemSchema, { ...legacy, createdAt: "2012-11-02T10:00:00+01:00" });
    expect(result.ok && result.value.createdAt).toBe("2012-11-02T09:00:00.000Z");
  });

  it("requires createdAt as an ISO 8601 date", () => {
    for (const createdAt of [undefined, "yesterday", "02/11/2012", "2012-13-45"]) {
      const result = validate(ImportItemSchema, { ...legacy, createdAt });
      expect(result.ok ? {} : result.fields).toHaveProperty("createdAt");
    }
  });

  it("keeps a given status so an export re-imports faithfully", () => {
    const result = validate(ImportItemSchema, { ...legacy, status: "rejected", moderatedAt: "2013-01-01T00:00:00.000Z" });
    expect(result.ok && result.value).toMatchObject({ status: "rejected", moderatedAt: "2013-01-01T00:00:00.000Z" });
  });
});

describe("ImportSchema", () => {
  it("names failing fields by entry index", () => {
    const result = validate(ImportSchema, [{ post: "p", author: "A", body: "B", createdAt: "2012-01-01" }, { post: "p" }]);
    expect(result.ok ? {} : result.fields).toEqual(expect.objectContaining({ "1.author": "Enter your name.", "1.body": "Write a comment." }));
  });

  it(`accepts ${MAX_IMPORT_ITEMS} entries per request and rejects more`, () => {
    const item = { post: "p", author: "A", body: "B", createdAt: "2012-01-01" };
    expect(validate(ImportSchema, Array(MAX_IMPORT_ITEMS).fill(item)).ok).toBe(true);
    expect(validate(ImportSchema, Array(MAX_IMPORT_ITEMS + 1).fill(item)).ok).toBe(false);
  });
});
