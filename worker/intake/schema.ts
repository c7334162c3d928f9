// Every input the comment service accepts, as valibot schemas with their limits as named constants.
// Anything not described here is ignored (allow-list), never stored. Lengths count UTF-16 code units, the unit
// the form's `maxlength` attributes use, so the browser and the server agree on what fits.
import * as v from "valibot";

export const MAX_SUBMISSION_BYTES = 16 * 1024;
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
/** KV allows 1,000 operations per invocation; an import batch stays well below that. */
export const MAX_IMPORT_ITEMS = 500;
export const AUTHOR_MAX = 100;
export const EMAIL_MAX = 254;
export const WEBSITE_MAX = 200;
export const BODY_MAX = 5000;
/**
 * An imported comment's text: what another site already published is brought whole, so the submission limit
 * does not apply; this bound (ten times it) only keeps one thread's published JSON a sane size.
 */
export const IMPORT_BODY_MAX = 50_000;
export const SLUG_MAX = 200;
export const MAX_COUNT_POSTS = 100;
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const STATUSES = ["pending", "approved", "rejected", "spam"] as const;
/** Moderator names: shown in the audit log, so short and plain. */
export const MODERATOR_NAME_MAX = 64;
export const RULE_VALUE_MAX = 200;
/** The most links a `links` rule may allow before it fires. */
export const RULE_LINKS_MAX = 1000;
export const BULK_MAX_IDS = 100;
export const LIST_LIMIT_DEFAULT = 50;
export const LIST_LIMIT_MAX = 200;
export const AUDIT_LIMIT_DEFAULT = 50;
export const AUDIT_LIMIT_MAX = 500;
export const MODERATOR_ROLES = ["owner", "moderator"] as const;
export type ModeratorRole = (typeof MODERATOR_ROLES)[number];
export const RULE_KINDS = ["email", "word", "links", "first-comment"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const RULE_ACTIONS = ["hold", "spam"] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];
export const BULK_ACTIONS = ["approve", "reject", "spam", "delete"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
/** How a comment's text is written: Markdown (readers) or WordPress's comment HTML (WXR imports). */
export const FORMATS = ["markdown", "html"] as const;
export type Format = (typeof FORMATS)[number];

const STATUS_MESSAGE = "status must be pending, approved, rejected or spam.";

// C0 and C1 control characters (Unicode category Cc). Newlines and tabs are allowed in the comment only.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/u;
const CONTROL_EXCEPT_NEWLINE_TAB = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/u;
// ISO 8601 date or date-time, as exports and WordPress dumps write them.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

const isWellFormed = (s: string) => s.isWellFormed();
const isHttpUrl = (s: string) => {
  // Literally "http://" or "https://" and no backslash: the URL parser also accepts "http:evil.example" and reads
  // "http://evil.example\@good.example" as evil.example, forms a moderator reading the stored text would misjudge.
  if (!/^https?:\/\//i.test(s) || s.includes("\\")) return false;
  if (!URL.canParse(s) || /\s/.test(s)) return false;
  const url = new URL(s);
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
};
// The instant must also stay within years 0000-9999 once converted to UTC: "9999-12-31T23:59-01:00" would be stored
// as "+010000-…", which this very pattern refuses, so an export holding it could never be imported back (fuzz test).
const isIsoDate = (s: string) => ISO_DATE.test(s) && !Number.isNaN(Date.parse(s)) && /^\d{4}-/.test(new Date(s).toISOString());
/** Browsers submit a textarea's line breaks as CRLF; store plain LF. */
const normalizeNewlines = (s: string) => s.replace(/\r\n?/g, "\n");
/** An absent optional text field, `null` and "" all mean "not given". */
const blankToNull = (s: string | null | undefined) => (s == null || s.trim() === "" ? null : s.trim());

const unicodeChecks = (label: string, allowNewlines: boolean) => [
  v.check(
    (s: string) => !(allowNewlines ? CONTROL_EXCEPT_NEWLINE_TAB : CONTROL).test(s),
    `${label} contains a control character.`,
  ),
  v.check(isWellFormed, `${label} contains invalid Unicode.`),
] as const;

const postField = v.pipe(
  v.string("Say which post the comment is for."),
  v.trim(),
  v.nonEmpty("Say which post the comment is for."),
  v.maxLength(SLUG_MAX, "That post does not exist."),
);
const authorField = v.pipe(
  v.string("Enter your name."),
  v.trim(),
  v.nonEmpty("Enter your name."),
  v.maxLength(AUTHOR_MAX, `Your name can be at most ${AUTHOR_MAX} characters.`),
  ...unicodeChecks("Your name", false),
);
const emailField = v.pipe(
  v.string("Enter your email address."),
  v.trim(),
  v.nonEmpty("Enter your email address."),
  v.maxLength(EMAIL_MAX, `Your email address can be at most ${EMAIL_MAX} characters.`),
  // The same rule as the browser's <input type="email"> (WHATWG HTML), so both agree.
  v.rfcEmail("Enter a valid email address, like name@example.com."),
);
/** An optional text field: absent, null and "" all become null; anything else must pass `schema`. */
const optionalText = <TSchema extends v.GenericSchema<string, string>>(typeMessage: string, schema: TSchema) =>
  v.optional(v.pipe(v.nullable(v.string(typeMessage)), v.transform((s: string | null) => blankToNull(s)), v.nullable(schema)), null);

const websiteField = optionalText(
  "The website must be text.",
  v.pipe(
    v.string(),
    v.maxLength(WEBSITE_MAX, `The website address can be at most ${WEBSITE_MAX} characters.`),
    v.check(isHttpUrl, "Enter a website address starting with http:// or https://."),
  ),
);
const textField = (max: number, message: string) =>
  v.pipe(
    v.string("Write a comment."),
    v.transform(normalizeNewlines),
    v.trim(),
    v.nonEmpty("Write a comment."),
    v.maxLength(max, message),
    ...unicodeChecks("Your comment", true),
  );
const bodyField = textField(BODY_MAX, `Your comment can be at most ${BODY_MAX} characters.`);
const importBodyField = textField(IMPORT_BODY_MAX, `An imported comment can be at most ${IMPORT_BODY_MAX} characters.`);
const idField = (message: string) => v.pipe(v.string(message), v.regex(ID_PATTERN, message));
const parentIdField = optionalText("The comment you reply to is unknown.", idField("The comment you reply to is unknown."));
const isoDateField = (label: string) =>
  v.pipe(
    v.string(`${label} must be an ISO 8601 date.`),
    v.check(isIsoDate, `${label} must be an ISO 8601 date.`),
    v.transform((s) => new Date(s).toISOString()),
  );

/**
 * An object schema whose missing keys report their field's own first message ("Enter your name.") rather than
 * valibot's generic "Invalid key"; valibot reports a missing key with the object's message.
 */
function fieldsObject<TEntries extends v.ObjectEntries>(entries: TEntries) {
  return v.object(entries, (issue) => {
    const key = issue.path?.at(-1)?.key;
    const message = typeof key === "string" ? (entries[key] as { message?: unknown } | undefined)?.message : undefined;
    return typeof message === "string" ? message : typeof key === "string" ? `${key} is required.` : "Send an object.";
  });
}

/**
 * "Email me when someone replies": `true` from the API, `on` from the form's checkbox (absent when unticked, and the
 * script sends the form's fields as they are). Anything else is refused, so a typo never subscribes anyone.
 */
const subscribeField = v.optional(
  v.pipe(
    v.union([v.boolean(), v.literal("on"), v.literal("true"), v.literal("false")], "subscribe must be true or false."),
    v.transform((value) => value === true || value === "on" || value === "true"),
  ),
  false,
);

/** A reader's submission (JSON body or the form's fields). Unknown keys are dropped. */
export const SubmissionSchema = fieldsObject({
  post: postField,
  author: authorField,
  email: emailField,
  website: websiteField,
  body: bodyField,
  parentId: parentIdField,
  subscribe: subscribeField,
});
export type Submission = v.InferOutput<typeof SubmissionSchema>;

/** An author's edit of their own comment ("take it back"): the new text, under the submission's rules. */
export const EditSchema = fieldsObject({ body: bodyField });

/** One entry of an import file: the export format, with `id`, `status` and `moderatedAt` optional. */
export const ImportItemSchema = fieldsObject({
  id: optionalText("An id is text.", idField("An id uses only A-Z, a-z, 0-9, _ and -, at most 64.")),
  post: postField,
  parentId: parentIdField,
  author: authorField,
  // Legacy comments (the WordPress reply) have no email; new submissions always do.
  email: optionalText("Enter a valid email address.", emailField),
  website: websiteField,
  body: importBodyField,
  createdAt: isoDateField("createdAt"),
  status: v.optional(v.picklist(STATUSES, STATUS_MESSAGE), "approved"),
  moderatedAt: v.optional(v.nullable(isoDateField("moderatedAt")), null),
  // Moderator-only fields: a reader's submission (SubmissionSchema) has neither, so cannot claim the badge.
  format: v.optional(v.picklist(FORMATS, "format must be markdown or html.")),
  byBlog: v.optional(v.boolean("byBlog must be true or false.")),
});
export type ImportItem = v.InferOutput<typeof ImportItemSchema>;

export const ImportSchema = v.pipe(
  v.array(ImportItemSchema, "Send a JSON array of comments."),
  v.maxLength(MAX_IMPORT_ITEMS, `Import at most ${MAX_IMPORT_ITEMS} comments per request.`),
);

export const StatusSchema = v.picklist(STATUSES, STATUS_MESSAGE);
export type Status = v.InferOutput<typeof StatusSchema>;

export const IdSchema = idField("Unknown comment.");

// The moderation desk: moderators, rules, bulk actions, edits and the blog's replies.

export const ModeratorSchema = fieldsObject({
  name: v.pipe(
    v.string("Give the moderator a name."),
    v.trim(),
    v.nonEmpty("Give the moderator a name."),
    v.maxLength(MODERATOR_NAME_MAX, `A moderator's name can be at most ${MODERATOR_NAME_MAX} characters.`),
    v.regex(/^[\p{L}\p{N}][\p{L}\p{N} ._'-]*$/u, "A moderator's name uses letters, digits, spaces and . _ ' - only."),
  ),
  role: v.optional(v.picklist(MODERATOR_ROLES, "role must be owner or moderator."), "moderator"),
});

const ruleAction = v.optional(v.picklist(RULE_ACTIONS, "action must be hold or spam."), "hold");
const ruleWord = v.pipe(
  v.string("Give the word to look for."),
  v.trim(),
  v.nonEmpty("Give the word to look for."),
  v.maxLength(RULE_VALUE_MAX, `A rule's value can be at most ${RULE_VALUE_MAX} characters.`),
  ...unicodeChecks("The word", false),
);
const ruleLinks = v.pipe(
  v.union([v.string(), v.number()], "Give the number of links allowed."),
  v.transform((n) => String(n).trim()),
  v.regex(/^\d{1,4}$/, `Give the number of links allowed, from 0 to ${RULE_LINKS_MAX}.`),
  v.check((n) => Number(n) <= RULE_LINKS_MAX, `Give the number of links allowed, from 0 to ${RULE_LINKS_MAX}.`),
  v.transform((n) => String(Number(n))),
);
/** A new rule; an `email` rule's value is an address, stored only as its salted hash. */
export const RuleSchema = v.variant(
  "kind",
  [
    fieldsObject({ kind: v.literal("email"), value: emailField, action: ruleAction }),
    fieldsObject({ kind: v.literal("word"), value: ruleWord, action: ruleAction }),
    fieldsObject({ kind: v.literal("links"), value: ruleLinks, action: ruleAction }),
    fieldsObject({ kind: v.literal("first-comment"), value: v.optional(v.pipe(v.unknown(), v.transform(() => "")), ""), action: ruleAction }),
  ],
  "kind must be email, word, links or first-comment.",
);
export type RuleInput = v.InferOutput<typeof RuleSchema>;

export const BulkSchema = fieldsObject({
  action: v.picklist(BULK_ACTIONS, "action must be approve, reject, spam or delete."),
  ids: v.pipe(
    v.array(v.string("Each id is text."), "Give the ids as an array."),
    v.minLength(1, "Give at least one id."),
    v.maxLength(BULK_MAX_IDS, `Give at most ${BULK_MAX_IDS} ids at once.`),
  ),
  // The revision of each text the moderator read (the list gives them): an approval of a text edited since is refused.
  revisions: v.optional(
    v.pipe(
      v.record(v.string(), v.pipe(v.number("A revision is a whole number."), v.integer("A revision is a whole number."), v.minValue(0, "A revision is a whole number."))),
      v.check((r) => Object.keys(r).length <= BULK_MAX_IDS, `Give at most ${BULK_MAX_IDS} revisions.`),
    ),
  ),
});

/** One person's address, for an owner's export or erasure of their data (a POST body, so never in a URL or a log). */
export const PersonSchema = fieldsObject({ email: emailField });

/** A moderator's mail about comments held for moderation turned on or off (/admin's Mail panel, `moderators mail`). */
export const PendingMailSchema = fieldsObject({ on: v.boolean("on must be true or false.") });

/** An edit of a comment's text, or the blog's reply: the same limits as a reader's comment. */
export const TextSchema = fieldsObject({ body: bodyField });

/** Field name -> first problem, for the 422 `fields` object (nested paths such as `3.email` for imports). */
export type FieldErrors = Record<string, string>;

/** Validates `input`; returns the output or every failing field with its first message. */
export function validate<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
): { ok: true; value: v.InferOutput<TSchema> } | { ok: false; fields: FieldErrors; message: string } {
  const result = v.safeParse(schema, input, { abortPipeEarly: true });
  if (result.success) return { ok: true, value: result.output };
  const flat = v.flatten(result.issues);
  const fields: FieldErrors = {};
  for (const [path, messages] of Object.entries(flat.nested ?? {})) if (messages?.[0]) fields[path] = messages[0];
  return { ok: false, fields, message: flat.root?.[0] ?? "Some fields need correcting." };
}
