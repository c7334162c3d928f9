// A small client for the comment worker's API (docs/api.md): one function per endpoint, the bearer token on every
// moderator call, and every failure turned into a CliError carrying the exit code a script can rely on.
import type { CliConfig } from "./config.ts";
import { CliError, EXIT_AUTH, EXIT_FAILED, EXIT_UNREACHABLE, ItemError } from "./errors.ts";

import type { AdminComment } from "../../worker/comment.ts";
import type { AuditEntry, ErasureReceipt, ModeratorListing, PersonExport, Rule } from "../../worker/desk-shapes.ts";
import type { Status as CommentStatus } from "../../worker/intake/schema.ts";
import type { RebuildStatus as SiteStatus } from "../../worker/desk-shapes.ts";

export type { AdminComment, AuditEntry, CommentStatus, ErasureReceipt, ModeratorListing, PersonExport, Rule, SiteStatus };
export const STATUSES: readonly CommentStatus[] = ["pending", "approved", "rejected", "spam"];

/** The file `export` writes: every comment (the import format) and the audit log, oldest entry first. */
export interface ExportFile {
  comments: AdminComment[];
  audit: AuditEntry[];
}

/** An import entry: the export format with id, status and moderatedAt optional (no id: the worker derives one). */
export type ImportComment = Omit<AdminComment, "id" | "status" | "moderatedAt"> &
  Partial<Pick<AdminComment, "id" | "status" | "moderatedAt">>;

/** The worker's answer to an import: records stored, and entries skipped because their id was already there. */
export interface ImportResult {
  imported: number;
  skipped: number;
  /** Entries whose id was deleted here: left deleted unless `restoreDeleted`. */
  keptDeleted: number;
}

/** The worker refused an import batch (all-or-nothing); `fields` names each problem as "<index>.<field>". */
export class ImportRefusedError extends CliError {
  fields: Record<string, string>;
  constructor(message: string, fields: Record<string, string>) {
    super(message, EXIT_FAILED);
    this.fields = fields;
  }
}

/** One step of the migration walk through KV's comment records (POST /api/admin/migrate). */
export interface MigrateStep {
  scanned: number;
  added: number;
  present: number;
  cursor: string | null;
  done: boolean;
}

export interface AdminClient {
  list(status: CommentStatus, post?: string): Promise<AdminComment[]>;
  /** A comment, its post's title, and its text's revision (how many times the text changed after it arrived). */
  show(id: string): Promise<{ comment: AdminComment; postTitle: string | null; revision: number | null }>;
  /** Approves the comment; with `revision`, only if its text is still that revision (else an ItemError with the 409's message). */
  approve(id: string, revision?: number | null): Promise<void>;
  /** The publication version and how far the live site is behind it (GET /api/admin/status). */
  status(): Promise<SiteStatus>;
  reject(id: string): Promise<void>;
  spam(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  exportAll(): Promise<AdminComment[]>;
  importComments(comments: readonly ImportComment[], options?: { restoreDeleted?: boolean }): Promise<ImportResult>;
  migrateStep(cursor: string | null): Promise<MigrateStep>;
  /** Whether the site has this post (the public thread answers 404 for an unknown one). */
  postExists(slug: string): Promise<boolean>;
  addModerator(name: string, role: string): Promise<{ name: string; role: string; token: string }>;
  listModerators(): Promise<ModeratorListing[]>;
  revokeModerator(name: string): Promise<void>;
  /** Keeps a moderator's address for mail (sealed by the worker), or forgets it (null). */
  setModeratorEmail(name: string, email: string | null): Promise<void>;
  /** Turns a moderator's mail about comments held for moderation on or off. */
  setModeratorPendingMail(name: string, on: boolean): Promise<{ address: boolean; pendingMail: boolean }>;
  /** The newest `limit` entries of the audit log, newest first (all of them when `limit` is null). */
  audit(limit: number | null): Promise<AuditEntry[]>;
  listRules(): Promise<Rule[]>;
  addRule(kind: string, value: string, action: string): Promise<Rule>;
  removeRule(id: string): Promise<void>;
  /** Everything held about one email address (owners only). */
  exportPerson(email: string): Promise<PersonExport>;
  /** Erases one email address's comments everywhere (owners only). */
  erasePerson(email: string): Promise<ErasureReceipt>;
}

const AUDIT_PAGE = 500;

// The worker's id rule, checked here too so a mistyped id never becomes part of a URL path.
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const TIMEOUT_MS = 30_000;

/** Creates a client for the worker at `config.url`, authenticated with `config.token`. */
export function createAdminClient(config: CliConfig): AdminClient {
  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${config.token}`, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(config.url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new CliError(`Cannot reach the comment service at ${config.url} (is \`npm start\` running?)`, EXIT_UNREACHABLE);
    }
    if (response.status === 401) {
      throw new CliError(`Wrong moderator token for ${config.url}: the worker answered 401`, EXIT_AUTH);
    }
    if (response.status === 503) {
      const error = await readError(response);
      if (error.code === "admin_disabled") {
        throw new CliError(
          `The admin API is off at ${config.url}: the worker answered 503 (${error.text}). Give the worker a ` +
            "MODERATOR_TOKEN (.dev.vars locally, `wrangler secret put MODERATOR_TOKEN` in production).",
          EXIT_AUTH,
        );
      }
      throw new CliError(`The comment service at ${config.url} is unavailable: it answered 503 (${error.text}). Try again shortly.`, EXIT_FAILED);
    }
    return response;
  }

  async function readJson(response: Response, what: string): Promise<unknown> {
    if (!response.ok) {
      throw new CliError(`${what} failed: the worker answered ${response.status} (${(await readError(response)).text})`, EXIT_FAILED);
    }
    try {
      return await response.json();
    } catch {
      throw new CliError(`${what} failed: the answer from ${config.url} is not JSON`, EXIT_FAILED);
    }
  }

  /** A call whose refusal (403, 404, 409, 422) is the user's to fix: reported with the worker's message. */
  async function callChecked(method: string, path: string, what: string, body?: unknown): Promise<Response> {
    const response = await call(method, path, body);
    if (response.status === 403) throw new CliError(`${what} failed: only an owner may do this (the worker answered 403)`, EXIT_AUTH);
    if (!response.ok) throw new CliError(`${what} failed: ${(await readError(response)).text} (${response.status})`, EXIT_FAILED);
    return response;
  }

  async function callOnComment(id: string, method: string, action = ""): Promise<Response> {
    if (!ID_PATTERN.test(id)) throw new ItemError("not a comment id");
    const response = await call(method, `/api/admin/comments/${id}${action}`);
    if (response.status === 409) throw new ItemError(`${(await readError(response)).text} (409)`);
    if (response.status === 404) throw new ItemError("no comment with this id");
    if (!response.ok) throw new ItemError(`the worker answered ${response.status} (${(await readError(response)).text})`);
    return response;
  }

  return {
    async list(status, post) {
      const comments: AdminComment[] = [];
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ status, limit: "200" });
        if (post) query.set("post", post);
        if (cursor) query.set("cursor", cursor);
        const data = (await readJson(await call("GET", `/api/admin/comments?${query}`), "Listing comments")) as { comments: AdminComment[]; next?: string | null };
        comments.push(...data.comments);
        // A worker before paging answers without `next`: everything at once.
        cursor = data.next ?? null;
      } while (cursor);
      // The `post` filter is this worker's extra; filtering here too keeps `--post` right against any version.
      return comments.filter((comment) => !post || comment.post === post);
    },
    async show(id) {
      const data = (await (await callOnComment(id, "GET")).json()) as { comment: AdminComment; postTitle?: string | null; revision?: number };
      // A worker from before revisions answers without one: the approval then names none.
      return { comment: data.comment, postTitle: data.postTitle ?? null, revision: typeof data.revision === "number" ? data.revision : null };
    },
    async approve(id, revision = null) {
      await callOnComment(id, "POST", revision === null ? "/approve" : `/approve?revision=${revision}`);
    },
    async status() {
      return (await readJson(await call("GET", "/api/admin/status"), "Reading the status")) as SiteStatus;
    },
    async reject(id) {
      await callOnComment(id, "POST", "/reject");
    },
    async spam(id) {
      await callOnComment(id, "POST", "/spam");
    },
    async remove(id) {
      await callOnComment(id, "DELETE");
    },
    async exportAll() {
      return (await readJson(await call("GET", "/api/admin/export"), "Export")) as AdminComment[];
    },
    async importComments(comments, options = {}) {
      const response = await call("POST", `/api/admin/import${options.restoreDeleted ? "?restoreDeleted=1" : ""}`, comments);
      if (response.status === 422) {
        const error = await readError(response);
        throw new ImportRefusedError(error.message, error.fields);
      }
      return (await readJson(response, "Import")) as ImportResult;
    },
    async migrateStep(cursor) {
      const query = cursor === null ? "" : `?${new URLSearchParams({ cursor })}`;
      return (await readJson(await call("POST", `/api/admin/migrate${query}`), "Migration")) as MigrateStep;
    },
    async addModerator(name, role) {
      return (await (await callChecked("POST", "/api/admin/moderators", "Adding the moderator", { name, role })).json()) as { name: string; role: string; token: string };
    },
    async listModerators() {
      return ((await (await callChecked("GET", "/api/admin/moderators", "Listing moderators")).json()) as { moderators: ModeratorListing[] }).moderators;
    },
    async revokeModerator(name) {
      await callChecked("DELETE", `/api/admin/moderators/${encodeURIComponent(name)}`, `Revoking ${name}`);
    },
    async setModeratorEmail(name, email) {
      const path = `/api/admin/mail/moderators/${encodeURIComponent(name)}`;
      if (email === null) await callChecked("DELETE", path, `Removing ${name}'s address`);
      else await callChecked("PUT", path, `Keeping ${name}'s address`, { email });
    },
    async setModeratorPendingMail(name, on) {
      const path = `/api/admin/mail/moderators/${encodeURIComponent(name)}/pending-mail`;
      return (await (await callChecked("PUT", path, `Turning ${name}'s mail ${on ? "on" : "off"}`, { on })).json()) as { address: boolean; pendingMail: boolean };
    },
    async audit(limit) {
      const entries: AuditEntry[] = [];
      let before: number | null = null;
      for (;;) {
        const want = limit === null ? AUDIT_PAGE : Math.min(AUDIT_PAGE, limit - entries.length);
        const query = new URLSearchParams({ limit: String(want) });
        if (before !== null) query.set("before", String(before));
        const page = ((await (await callChecked("GET", `/api/admin/audit?${query}`, "Reading the audit log")).json()) as { entries: AuditEntry[] }).entries;
        entries.push(...page);
        if (page.length < want || (limit !== null && entries.length >= limit)) return entries;
        before = page.at(-1)!.seq;
      }
    },
    async listRules() {
      return ((await (await callChecked("GET", "/api/admin/rules", "Listing rules")).json()) as { rules: Rule[] }).rules;
    },
    async addRule(kind, value, action) {
      return (await (await callChecked("POST", "/api/admin/rules", "Adding the rule", { kind, value, action })).json()) as Rule;
    },
    async removeRule(id) {
      await callChecked("DELETE", `/api/admin/rules/${encodeURIComponent(id)}`, `Removing rule ${id}`);
    },
    async exportPerson(email) {
      return (await (await callChecked("POST", "/api/admin/person/export", "Exporting their data", { email })).json()) as PersonExport;
    },
    async erasePerson(email) {
      return (await (await callChecked("POST", "/api/admin/person/erase", "Erasing their data", { email })).json()) as ErasureReceipt;
    },
    async postExists(slug) {
      const response = await call("GET", `/api/comments?${new URLSearchParams({ post: slug })}`);
      if (response.status === 404) return false;
      await readJson(response, `Looking up post ${slug}`);
      return true;
    },
  };
}

interface WorkerError {
  code: string;
  message: string;
  fields: Record<string, string>;
  /** The message and every field problem, on one line. */
  text: string;
}

// The worker's errors are JSON `{ error, message, fields? }`; anything else is shown as its first 200 characters.
async function readError(response: Response): Promise<WorkerError> {
  const raw = await response.text().catch(() => "");
  let data: { error?: unknown; message?: unknown; fields?: unknown } = {};
  try {
    data = JSON.parse(raw) as typeof data;
  } catch {
    // not JSON: a proxy's page, or another server on that port
  }
  const message = typeof data.message === "string" ? data.message : raw.trim().slice(0, 200) || response.statusText;
  const fields = data.fields && typeof data.fields === "object" ? (data.fields as Record<string, string>) : {};
  const details = Object.entries(fields).map(([field, problem]) => `${field}: ${problem}`);
  return { code: String(data.error ?? ""), message, fields, text: [message, ...details].join("; ") };
}
