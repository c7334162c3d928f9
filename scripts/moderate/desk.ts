// The moderation desk's CLI commands: `moderators add|list|revoke|email|mail`, `rules list|add|remove` and `audit`.
// Owners manage moderators and rules; the worker answers 403 to anyone else, reported as exit code 3.
import { PersonSchema, validate } from "../../worker/intake/schema.ts";
import type { AdminClient, AuditEntry } from "./api.ts";
import type { CliIo, Command } from "./command.ts";
import { EXIT_OK, UsageError } from "./errors.ts";
import { truncate } from "./table.ts";

const ROLES = ["owner", "moderator"];
const RULE_KINDS = ["email", "word", "links", "first-comment"];
const RULE_ACTIONS = ["hold", "spam"];

/** Rows of text as left-aligned columns, two spaces apart. */
export function formatColumns(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => Array.from(row[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** One audit entry on one line: when, who, what, which comment, where, and the status change. */
export function formatAudit(entries: readonly AuditEntry[]): string {
  return formatColumns(
    ["AT", "MODERATOR", "ACTION", "ID", "POST", "CHANGE"],
    entries.map((e) => [
      e.at.replace(/\.\d+Z$/, "Z"),
      truncate(e.moderator, 20),
      e.action,
      e.id ?? "-",
      e.post ?? "-",
      e.from === null && e.to === null ? describeDetail(e.detail) : `${e.from ?? "-"} -> ${e.to ?? "-"}`,
    ]),
  );
}

function describeDetail(detail: Record<string, unknown> | undefined): string {
  if (!detail) return "";
  if (typeof detail.name === "string") return `${detail.name} (${String(detail.role)})`;
  if (typeof detail.kind === "string") return `${detail.kind} ${truncate(String(detail.value), 24)} -> ${String(detail.action)}`;
  if (typeof detail.imported === "number") return `${detail.imported} imported, ${String(detail.skipped)} skipped`;
  return "";
}

/** `<command> <sub> ...`: checks the subcommand and its number of arguments. */
function sub(name: string, positionals: string[], counts: Record<string, number>): [string, string[]] {
  const [verb, ...args] = positionals;
  if (verb === undefined || !(verb in counts)) throw new UsageError(`${name} needs one of: ${Object.keys(counts).join(", ")}`);
  if (args.length !== counts[verb]) throw new UsageError(`${name} ${verb} takes ${counts[verb]} argument${counts[verb] === 1 ? "" : "s"}`);
  return [verb, args];
}

function oneOf(option: string, value: string, allowed: readonly string[]): string {
  const what = option === "kind" ? "the rule kind" : option === "mail" ? "moderators mail" : `--${option}`;
  if (!allowed.includes(value)) throw new UsageError(`${what} must be one of ${allowed.join(", ")}`);
  return value;
}

type Values = Record<string, string | boolean | undefined>;

// `client` is called only once the arguments are checked: a usage error never needs a token or a worker.
/** An address as the worker accepts it (the same rule), checked before anything is written. */
function checkedEmail(email: string): string {
  const result = validate(PersonSchema, { email });
  if (!result.ok) throw new UsageError(`--email: ${result.fields.email ?? result.message}`);
  return result.value.email;
}

const mailState = (name: string, state: { address: boolean; pendingMail: boolean }) =>
  `${name}: mail about comments held for moderation is ${state.pendingMail ? "on" : "off"}${state.address ? "" : " (no address is set for them, so nothing is sent)"}`;

async function runModerators(verb: string, args: string[], values: Values, io: CliIo, client: () => AdminClient): Promise<number> {
  if (verb === "add") {
    const role = oneOf("role", String(values.role ?? "moderator"), ROLES);
    const email = typeof values.email === "string" ? checkedEmail(values.email) : null;
    const created = await client().addModerator(args[0]!, role);
    if (values.json) io.out(JSON.stringify({ name: created.name, role: created.role, token: created.token }));
    else io.out(`added ${created.name} (${created.role})\ntoken: ${created.token}\nThis token is shown only once: give it to ${created.name} now. Only its hash is stored.`);
    // After the token is shown: a refusal here (mail off) leaves the moderator added, and says so.
    if (email !== null) {
      await client().setModeratorEmail(created.name, email);
      if (!values.json) io.out(`${created.name}'s address is kept (sealed); they are emailed about comments held for moderation.`);
    }
  } else if (verb === "email") {
    const [name, email] = args as [string, string];
    await client().setModeratorEmail(name, email === "none" ? null : checkedEmail(email));
    io.out(email === "none" ? `${name}'s address is removed: they are mailed nothing.` : `${name}'s address is kept (sealed).`);
  } else if (verb === "mail") {
    const [name, state] = args as [string, string];
    io.out(mailState(name, await client().setModeratorPendingMail(name, oneOf("mail", state, ["on", "off"]) === "on")));
  } else if (verb === "list") {
    const moderators = await client().listModerators();
    if (moderators.length === 0) io.out("No moderators yet (only the owner's MODERATOR_TOKEN).");
    else io.out(formatColumns(["NAME", "ROLE", "CREATED", "REVOKED"], moderators.map((m) => [m.name, m.role, m.createdAt, m.revokedAt ?? "-"])));
  } else {
    await client().revokeModerator(args[0]!);
    io.out(`revoked ${args[0]}: their token no longer works`);
  }
  return EXIT_OK;
}

async function runRules(verb: string, args: string[], values: Values, io: CliIo, client: () => AdminClient): Promise<number> {
  if (verb === "add") {
    const [kind, value = ""] = args;
    const checked = [oneOf("kind", kind!, RULE_KINDS), oneOf("action", String(values.action ?? "hold"), RULE_ACTIONS)] as const;
    const rule = await client().addRule(checked[0], value, checked[1]);
    io.out(`added rule ${rule.id}: ${rule.kind} ${rule.kind === "email" ? "(hash)" : rule.value} -> ${rule.action}`);
  } else if (verb === "list") {
    const rules = await client().listRules();
    if (rules.length === 0) io.out("No rules.");
    else io.out(formatColumns(["ID", "KIND", "VALUE", "ACTION", "BY", "CREATED"], rules.map((r) => [r.id, r.kind, truncate(r.value, 24), r.action, r.createdBy, r.createdAt])));
  } else {
    await client().removeRule(args[0]!);
    io.out(`removed rule ${args[0]}`);
  }
  return EXIT_OK;
}

export const DESK_COMMANDS: Record<string, Command> = {
  moderators: {
    options: { role: { type: "string", short: "r" }, json: { type: "boolean" }, email: { type: "string" } },
    min: 0,
    many: true,
    run: ({ values, positionals }, io, client) => {
      const [verb, args] = sub("moderators", positionals, { add: 1, list: 0, revoke: 1, email: 2, mail: 2 });
      return runModerators(verb, args, values, io, client);
    },
  },
  rules: {
    options: { action: { type: "string", short: "a" } },
    min: 0,
    many: true,
    run: ({ values, positionals }, io, client) => {
      // `first-comment` takes no value: `rules add first-comment`.
      const counts = { add: positionals[1] === "first-comment" ? 1 : 2, list: 0, remove: 1 };
      const [verb, args] = sub("rules", positionals, counts);
      return runRules(verb, args, values, io, client);
    },
  },
  audit: {
    options: { limit: { type: "string", short: "n", default: "50" } },
    min: 0,
    many: false,
    async run({ values }, io, client) {
      const limit = Number(values.limit);
      if (!/^\d+$/.test(String(values.limit)) || limit < 1) throw new UsageError("--limit must be a whole number of at least 1");
      const entries = await client().audit(limit);
      io.out(entries.length === 0 ? "The audit log is empty." : formatAudit(entries));
      return EXIT_OK;
    },
  },
};
