// The moderation CLI: parses the command line, runs one command against the worker's admin API and
// returns the exit code. Output goes through `io` so every path can be exercised without a terminal.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createAdminClient, STATUSES, type AdminClient, type CommentStatus, type ExportFile } from "./api.ts";
import type { CliIo, Command, Parsed } from "./command.ts";
import { DESK_COMMANDS } from "./desk.ts";
import { PERSON_COMMANDS } from "./person.ts";
import { MissingTokenError, resolveConfig } from "./config.ts";
import { CliError, EXIT_AUTH, EXIT_FAILED, EXIT_OK, EXIT_USAGE, ItemError, UsageError } from "./errors.ts";
import { COMMAND_HELP, USAGE } from "./help.ts";
import { postsInCheckout, postsOnWorker, prepareImport, previewImport, sendImport } from "./import.ts";
import { FORMATS as IMPORT_FORMATS, type FormatName } from "./import/read.ts";
import { formatImportReport } from "./import/report.ts";
import { formatStatus } from "./status.ts";
import { formatComment, formatTable } from "./table.ts";

/** Every command the CLI knows, by name: the one list `runCli`, the help and the docs test read. */
export const COMMANDS: Record<string, Command> = {
  list: {
    options: { status: { type: "string", short: "s", default: "pending" }, post: { type: "string", short: "p" } },
    min: 0,
    many: false,
    async run({ values }, io, client) {
      const status = String(values.status) as CommentStatus;
      if (!STATUSES.includes(status)) throw new UsageError(`--status must be one of ${STATUSES.join(", ")}`);
      const post = values.post === undefined ? undefined : String(values.post);
      const comments = await client().list(status, post);
      const where = post ? ` on ${post}` : "";
      if (comments.length === 0) io.out(`No ${status} comments${where}.`);
      else io.out(`${formatTable(comments, io.columns)}\n\n${plural(comments.length, `${status} comment`)}${where}`);
      return EXIT_OK;
    },
  },
  show: eachId("show", async (api, id, io) => {
    const { comment, postTitle } = await api.show(id);
    io.out(`${formatComment(comment, postTitle)}\n`);
  }),
  // Approves the text it read: the revision shown is sent, so a comment edited in between is refused (409), not approved.
  approve: eachId("approve", async (api, id, io) => {
    const { revision } = await api.show(id);
    await api.approve(id, revision);
    io.out(`approved ${id}${revision === null ? "" : ` (text revision ${revision})`}`);
  }),
  reject: eachId("reject", async (api, id, io) => (await api.reject(id), io.out(`rejected ${id}`))),
  spam: eachId("mark as spam", async (api, id, io) => (await api.spam(id), io.out(`marked spam ${id}`))),
  delete: eachId("delete", async (api, id, io) => (await api.remove(id), io.out(`deleted ${id}`))),
  export: {
    options: { output: { type: "string", short: "o" } },
    min: 0,
    many: false,
    async run({ values }, io, client) {
      const comments = await client().exportAll();
      // The audit log comes along, oldest first like the comments; import reads the comments and leaves the log.
      const audit = (await client().audit(null)).reverse();
      const file: ExportFile = { comments, audit };
      const json = `${JSON.stringify(file, null, 2)}\n`;
      if (values.output === undefined) io.out(json.trimEnd());
      else {
        try {
          writeFileSync(String(values.output), json);
        } catch (error) {
          throw new UsageError(`Cannot write ${String(values.output)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
        io.out(`exported ${plural(comments.length, "comment")} and ${audit.length} audit ${audit.length === 1 ? "entry" : "entries"} to ${String(values.output)}`);
      }
      return EXIT_OK;
    },
  },
  import: {
    options: {
      "dry-run": { type: "boolean", short: "n" },
      json: { type: "boolean" },
      format: { type: "string", short: "f" },
      map: { type: "string", short: "m" },
      "restore-deleted": { type: "boolean" },
    },
    min: 1,
    many: false,
    async run({ values, positionals }, io, client) {
      const format = values.format === undefined ? undefined : String(values.format);
      if (format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(", ")}`);
      const options = { format: format as FormatName | undefined, map: values.map === undefined ? undefined : String(values.map), restoreDeleted: values["restore-deleted"] === true };
      const file = positionals[0] ?? "";
      const dryRun = values["dry-run"] === true;
      // A dry run needs no worker: without a token it maps threads to the posts of this checkout.
      const hasToken = Boolean(io.env.MODERATOR_TOKEN?.trim());
      const exists = async (slugs: string[]) => (dryRun && !hasToken ? postsInCheckout(slugs) : postsOnWorker(client(), slugs));
      const prepared = await prepareImport(file, options, exists);
      const report = dryRun ? previewImport(prepared) : await sendImport(client(), prepared, options);
      for (const problem of report.problems) io.err(problem);
      if (values.json) io.out(JSON.stringify(report, null, 2));
      else {
        if (dryRun && !prepared.plan && prepared.comments.length > 0) io.out(formatTable(prepared.comments, io.columns));
        io.out(formatImportReport(report).join("\n"));
      }
      return report.problems.length > 0 ? EXIT_FAILED : EXIT_OK;
    },
  },
  migrate: {
    options: { cursor: { type: "string" } },
    min: 0,
    many: false,
    async run({ values }, io, client) {
      const api = client();
      let cursor = values.cursor === undefined ? null : String(values.cursor);
      const total = { scanned: 0, added: 0, present: 0 };
      for (;;) {
        const step = await api.migrateStep(cursor);
        total.scanned += step.scanned;
        total.added += step.added;
        total.present += step.present;
        cursor = step.cursor;
        if (step.done) break;
        // Printed as it goes, so an interrupted run can be resumed where it stopped.
        io.err(`… ${total.scanned} scanned so far; to resume: npm run moderate -- migrate --cursor ${cursor}`);
      }
      io.out(`migrated: ${plural(total.scanned, "comment record")} scanned, ${total.added} added to the ledger, ${total.present} already there; every thread republished`);
      return EXIT_OK;
    },
  },
  status: {
    options: {},
    min: 0,
    many: false,
    async run(_args, io, client) {
      io.out(formatStatus(await client().status()));
      return EXIT_OK;
    },
  },
  ...DESK_COMMANDS,
  ...PERSON_COMMANDS,
};

/** Runs the CLI on `argv` (the arguments after the script name) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(USAGE);
    return EXIT_USAGE;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    io.out(COMMAND_HELP[rest[0] ?? ""] ?? USAGE);
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`Unknown command "${name}"`);
    const flags = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
    if (flags.includes("--help") || flags.includes("-h")) {
      io.out(COMMAND_HELP[name] ?? USAGE);
      return EXIT_OK;
    }
    const args = parseCommandLine(name, command, rest);
    let api: AdminClient | undefined;
    return await command.run(args, io, () => (api ??= createAdminClient(readConfig(io.env))));
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\nRun \`npm run moderate -- ${command ? `${name} ` : ""}--help\` for usage.`);
      return EXIT_USAGE;
    }
    if (error instanceof CliError) {
      io.err(error.message);
      return error.exitCode;
    }
    throw error;
  }
}

function parseCommandLine(name: string, command: Command, argv: string[]): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: argv, options: command.options, allowPositionals: true, strict: true }) as Parsed;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const count = parsed.positionals.length;
  if (count < command.min) throw new UsageError(`${name} needs ${command.many ? "at least one id" : "a file"}`);
  if (!command.many && count > command.min) throw new UsageError(`${name} takes no argument "${parsed.positionals[command.min]}"`);
  return parsed;
}

function readConfig(env: NodeJS.ProcessEnv) {
  try {
    return resolveConfig(env);
  } catch (error) {
    if (error instanceof MissingTokenError) throw new CliError(error.message, EXIT_AUTH);
    throw error;
  }
}

// A command on one or more ids: each id is reported; an id that fails is reported and the rest still run,
// but a wrong token or an unreachable worker stops at once (every other id would fail the same way).
function eachId(verb: string, act: (api: AdminClient, id: string, io: CliIo) => Promise<unknown>): Command {
  return {
    options: {},
    min: 1,
    many: true,
    async run({ positionals }, io, client) {
      let failed = 0;
      for (const id of positionals) {
        try {
          await act(client(), id, io);
        } catch (error) {
          if (!(error instanceof ItemError)) throw error;
          io.err(`could not ${verb} ${id}: ${error.message}`);
          failed++;
        }
      }
      return failed > 0 ? EXIT_FAILED : EXIT_OK;
    },
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
