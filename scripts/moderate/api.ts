// A small client for the comment worker's API (issue 4): one function per endpoint, the bearer token on every
// moderator call, and every failure turned into a CliError carrying the exit code a script can rely on.
import type { CliConfig } from "./config.ts";
import { CliError, EXIT_AUTH, EXIT_FAILED, EXIT_UNREACHABLE, ItemError } from "./errors.ts";

import type { AdminComment } from "../../worker/comment.ts";
import type { Status as CommentStatus } from "../../worker/schema.ts";

export type { AdminComment, CommentStatus };
export const STATUSES: readonly CommentStatus[] = ["pending", "approved", "rejected"];

/** An import entry: the export format with id, status and moderatedAt optional (no id: the worker derives one). */
export type ImportComment = Omit<AdminComment, "id" | "status" | "moderatedAt"> &
  Partial<Pick<AdminComment, "id" | "status" | "moderatedAt">>;

/** The worker's answer to an import: records stored, and entries skipped because their id was already there. */
export interface ImportResult {
  imported: number;
  skipped: number;
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
  show(id: string): Promise<{ comment: AdminComment; postTitle: string | null }>;
  approve(id: string): Promise<void>;
  reject(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  exportAll(): Promise<AdminComment[]>;
  importComments(comments: readonly ImportComment[]): Promise<ImportResult>;
  migrateStep(cursor: string | null): Promise<MigrateStep>;
  /** Whether the site has this post (the public thread answers 404 for an unknown one). */
  postExists(slug: string): Promise<boolean>;
}

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

  async function callOnComment(id: string, method: string, action = ""): Promise<Response> {
    if (!ID_PATTERN.test(id)) throw new ItemError("not a comment id");
    const response = await call(method, `/api/admin/comments/${id}${action}`);
    if (response.status === 404) throw new ItemError("no comment with this id");
    if (!response.ok) throw new ItemError(`the worker answered ${response.status} (${(await readError(response)).text})`);
    return response;
  }

  return {
    async list(status, post) {
      const query = new URLSearchParams({ status });
      if (post) query.set("post", post);
      const data = (await readJson(await call("GET", `/api/admin/comments?${query}`), "Listing comments")) as { comments: AdminComment[] };
      // The `post` filter is this worker's extra; filtering here too keeps `--post` right against any version.
      return data.comments.filter((comment) => !post || comment.post === post);
    },
    async show(id) {
      const data = (await (await callOnComment(id, "GET")).json()) as { comment: AdminComment; postTitle?: string | null };
      return { comment: data.comment, postTitle: data.postTitle ?? null };
    },
    async approve(id) {
      await callOnComment(id, "POST", "/approve");
    },
    async reject(id) {
      await callOnComment(id, "POST", "/reject");
    },
    async remove(id) {
      await callOnComment(id, "DELETE");
    },
    async exportAll() {
      return (await readJson(await call("GET", "/api/admin/export"), "Export")) as AdminComment[];
    },
    async importComments(comments) {
      const response = await call("POST", "/api/admin/import", comments);
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
