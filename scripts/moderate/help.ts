// The moderation CLI's help texts, one per command, kept apart from the code so they read as documentation.
// docs/README-moderation.md says the same at more length.

export const USAGE = `Moderate blog comments from a terminal.

Usage: npm run moderate -- <command> [options]

Commands:
  list [--status <status>] [--post <slug>]  the queue as a table (default: pending comments)
  show <id>...                              every field of a comment and its full text
  approve <id>...                           publish comments
  reject <id>...                            refuse comments (kept, never shown)
  delete <id>...                            remove comments for good
  export [--output <file>]                  every comment as JSON, the import format
  import <file> [--dry-run]                 a JSON export (a backup) or a WordPress export (WXR)
  migrate [--cursor <cursor>]               bring a v1 store's comments into the moderation ledger

Environment:
  COMMENTS_API_URL  the comment worker (default: http://localhost:8787)
  MODERATOR_TOKEN   the moderator token (default: MODERATOR_TOKEN in .dev.vars)

Exit codes:
  0 done; 1 some ids or items failed; 2 usage error; 3 no token, wrong token or admin API off;
  4 the comment service is unreachable.

Run \`npm run moderate -- <command> --help\` for one command.`;

export const COMMAND_HELP: Record<string, string> = {
  list: `Usage: npm run moderate -- list [--status pending|approved|rejected] [--post <slug>]

Shows comments as a table: id, post, author, email, age and the first line of the comment.

Options:
  -s, --status <status>  pending (default), approved or rejected
  -p, --post <slug>      only comments on this post`,

  show: `Usage: npm run moderate -- show <id>...

Shows every field of each comment (status, createdAt, moderatedAt...) and its full text.`,

  approve: `Usage: npm run moderate -- approve <id>...

Approves each comment: it is published in the post's thread (readers may see it up to a minute later).
Reports each id; an unknown id is reported and the others still run (exit code 1).`,

  reject: `Usage: npm run moderate -- reject <id>...

Rejects each comment: it is kept for the record but never shown; an approved one is unpublished.
Reports each id; an unknown id is reported and the others still run (exit code 1).`,

  delete: `Usage: npm run moderate -- delete <id>...

Deletes each comment for good (\`export\` first if you may want it back).
Reports each id; an unknown id is reported and the others still run (exit code 1).`,

  export: `Usage: npm run moderate -- export [--output <file>]

Writes every comment, in every status, as a JSON array: the format \`import\` reads back.
With npm, add -s so npm's own banner stays out of the file: npm run -s moderate -- export > backup.json

Options:
  -o, --output <file>  write to this file instead of standard output`,

  import: `Usage: npm run moderate -- import <file> [--dry-run]

Imports comments into the worker. The file is either
  - a JSON array in the export format: a backup comes back as it was (each entry keeps its status;
    an entry without a status is approved), or
  - a WordPress export (WXR, Tools > Export): approved comments become approved comments on the post
    with the same slug (wp:post_name); pending, spam and trashed comments, pingbacks, comments over
    5000 characters and comments on posts this site does not have are skipped and counted.
Importing the same file again changes nothing: ids already stored are skipped, and WordPress comments
keep their ids as wp-<comment_id>.

Options:
  -n, --dry-run  show what would be imported without sending anything`,

  migrate: `Usage: npm run moderate -- migrate [--cursor <cursor>]

Brings every comment record in KV that the moderation ledger does not hold yet into it, with the status the
record has (in a v1 store, before the ledger, the record's status was the truth), then republishes every thread
and the counts from the ledger. Run it once after deploying the ledger over a v1 namespace.

It is idempotent (a comment the ledger holds, live or deleted, is never changed) and resumable: it walks the
records a few thousand at a time and prints a cursor after each step; --cursor starts from one. It prints how
many records it scanned, added and found already there.`,
};
