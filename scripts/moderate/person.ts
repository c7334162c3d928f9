// The CLI's `person` commands: one person's data, for an owner answering a subject access request (`person export`)
// or an erasure request (`person erase`, which asks first unless --yes). docs/privacy.md says how to answer each
// within the month UK GDPR allows; the worker side is worker/http/routes/person.ts.
import { writeFileSync } from "node:fs";
import type { AdminClient, ErasureReceipt, PersonExport } from "./api.ts";
import type { CliIo, Command } from "./command.ts";
import { CliError, EXIT_FAILED, EXIT_OK, UsageError } from "./errors.ts";

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** What an erasure of this export would remove, in one line. */
export function describeHoldings(data: PersonExport): string {
  const rules = data.rules.length === 0 ? "" : `; ${plural(data.rules.length, "block rule")} on the address's hash would stay`;
  return `${plural(data.comments.length, "comment")} (${data.comments.filter((c) => c.status === "approved").length} published), ` +
    `${plural(data.audit.length, "audit entry")} about them, ${plural(data.editGrants.length, "open edit grant")}${rules}`;
}

/** The receipt of an erasure, one count a line. */
export function formatReceipt(email: string, receipt: ErasureReceipt): string {
  return [
    `erased ${plural(receipt.comments, "comment")} by ${email} (the audit log records the erasure without the address)`,
    `  KV comment records deleted:   ${receipt.kvRecordsDeleted}`,
    `  threads and counts rewritten: ${receipt.posts.length === 0 ? "none" : receipt.posts.join(", ")}${receipt.published ? "" : " (still being written: KV was busy)"}`,
    `  audit rows scrubbed of text:  ${receipt.auditRowsScrubbed}`,
    `  edit grants removed:          ${receipt.editGrantsRemoved}`,
    `  block rules on the address:   ${receipt.rulesKept} kept, ${receipt.rulesRemoved} removed (docs/privacy.md says why)`,
    `  site rebuild:                 ${receipt.comments === 0 ? "not needed" : "requested"}`,
  ].join("\n");
}

async function runExport(email: string, output: string | undefined, io: CliIo, api: AdminClient): Promise<number> {
  const json = `${JSON.stringify(await api.exportPerson(email), null, 2)}\n`;
  if (output === undefined) io.out(json.trimEnd());
  else {
    try {
      writeFileSync(output, json, { mode: 0o600 });
    } catch (error) {
      throw new UsageError(`Cannot write ${output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    io.out(`wrote everything held about ${email} to ${output}`);
  }
  return EXIT_OK;
}

async function runErase(email: string, yes: boolean, io: CliIo, api: AdminClient): Promise<number> {
  if (!yes) {
    if (!io.ask) throw new UsageError("person erase cannot be undone: run it in a terminal to confirm, or add --yes");
    const holdings = await api.exportPerson(email);
    io.out(`${email}: ${describeHoldings(holdings)}.`);
    const answer = (await io.ask(`Erase ${plural(holdings.comments.length, "comment")} for good? This cannot be undone. [y/N] `)).trim().toLowerCase();
    if (answer !== "y" && answer !== "yes") throw new CliError("Nothing was erased.", EXIT_FAILED);
  }
  io.out(formatReceipt(email, await api.erasePerson(email)));
  return EXIT_OK;
}

export const PERSON_COMMANDS: Record<string, Command> = {
  person: {
    options: { output: { type: "string", short: "o" }, yes: { type: "boolean", short: "y" } },
    min: 0,
    many: true,
    run: ({ values, positionals }, io, client) => {
      const [verb, email, ...extra] = positionals;
      if ((verb !== "export" && verb !== "erase") || email === undefined || extra.length > 0) {
        throw new UsageError("person needs export or erase, then one email address");
      }
      if (!email.includes("@")) throw new UsageError(`"${email}" is not an email address`);
      return verb === "export"
        ? runExport(email, values.output === undefined ? undefined : String(values.output), io, client())
        : runErase(email, values.yes === true, io, client());
    },
  },
};
