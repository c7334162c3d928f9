// The moderation CLI's help texts, one per command, kept apart from the code so they read as documentation.
// docs/moderation.md says the same at more length.

export const USAGE = `Moderate blog comments from a terminal.

Usage: npm run moderate -- <command> [options]

Commands:
  list [--status <status>] [--post <slug>]  the queue as a table (default: pending comments)
  show <id>...                              every field of a comment and its full text
  approve <id>...                           publish comments
  reject <id>...                            refuse comments (kept, never shown)
  spam <id>...                              mark comments as spam (kept, never shown or counted)
  delete <id>...                            remove comments for good
  export [--output <file>]                  every comment and the audit log as JSON (import reads it)
  import <file> [--dry-run] [--map <file>]  another system's export (WordPress, Disqus, Isso, Remark42, ...) or a backup
  migrate [--cursor <cursor>]               bring a v1 store's comments into the moderation ledger
  moderators add|list|revoke|email|mail     named moderators, their tokens and their mail (owners only)
  rules list|add|remove                     hold or mark spam on arrival (owners add and remove)
  audit [--limit <n>]                       who did what, newest first
  person export|erase <email>               one person's data: a copy, or its erasure (owners only)
  status                                    how far the static site is behind the live thread

Environment:
  COMMENTS_API_URL  the comment worker (default: http://localhost:8787)
  MODERATOR_TOKEN   your moderator token, or the owner's (default: MODERATOR_TOKEN in .dev.vars)

Exit codes:
  0 done; 1 some ids or items failed; 2 usage error; 3 no token, wrong token, not an owner or admin API off;
  4 the comment service is unreachable.

Run \`npm run moderate -- <command> --help\` for one command.`;

export const COMMAND_HELP: Record<string, string> = {
  list: `Usage: npm run moderate -- list [--status pending|approved|rejected|spam] [--post <slug>]

Shows comments as a table, oldest first: id, post, author, age and the first line of the comment.

Options:
  -s, --status <status>  pending (default), approved, rejected or spam
  -p, --post <slug>      only comments on this post`,

  show: `Usage: npm run moderate -- show <id>...

Shows every field of each comment (status, createdAt, moderatedAt...) and its full text.`,

  approve: `Usage: npm run moderate -- approve <id>...

Approves each comment: it is published in the post's thread (readers may see it up to a minute later).
Each comment is read first and its text revision sent with the approval, which names it ("approved <id> (text
revision 1)"): a comment edited since is refused with the worker's message (409), never approved unseen.
Reports each id; an unknown or refused id is reported and the others still run (exit code 1).`,

  status: `Usage: npm run moderate -- status

Shows the publication version (a count of every change to what readers see), the version the live site last
reported (its /comments-version.json), and, while a rebuild is owed, since when, how many times the deploy hook
was called, when it is called next, and the last hook error.`,

  reject: `Usage: npm run moderate -- reject <id>...

Rejects each comment: it is kept for the record but never shown; an approved one is unpublished.
Reports each id; an unknown id is reported and the others still run (exit code 1).`,

  delete: `Usage: npm run moderate -- delete <id>...

Deletes each comment for good (\`export\` first if you may want it back).
Reports each id; an unknown id is reported and the others still run (exit code 1).`,

  export: `Usage: npm run moderate -- export [--output <file>]

Writes every comment, in every status, and the audit log as JSON: {"comments": [...], "audit": [...]}, both
oldest first. \`import\` reads the comments back (and still reads an older export, a bare array of comments);
the audit log is a record of this site and is never imported.
With npm, add -s so npm's own banner stays out of the file: npm run -s moderate -- export > backup.json

Options:
  -o, --output <file>  write to this file instead of standard output`,

  import: `Usage: npm run moderate -- import <file> [--format <name>] [--map <file>] [--dry-run] [--json] [--restore-deleted]

Imports comments into the worker. The format is told from the content (gzipped or not):
  wxr         a WordPress export (Tools > Export)
  disqus      a Disqus export (XML)
  isso        an Isso database (the SQLite file of isso.cfg's dbpath)
  remark42    a Remark42 backup (gzipped JSON lines)
  commento    a Commento export; comentario: a Comentario export (v1 or v3)
  artalk      an Artalk export (Artrans JSON)
  waline      a Waline export (JSON)
  staticman   a folder of Staticman comment files (YAML, JSON or front matter)
  json        what \`export\` writes (a backup comes back as it was)
Approved comments arrive approved and pending ones pending; spam and deleted ones are skipped and counted, and
a reply to one of them stays in place under a "[deleted]" placeholder. Each thread goes to the post whose slug
is the last part of its old address; a thread that finds no post is reported with its address, never guessed.
Running the same import again adds nothing, and never brings back a comment deleted here.
See docs/moderation.md, "Importing comments".

Options:
  -f, --format <name>  read the file as this format instead of telling it from the content
  -m, --map <file>     map old addresses to posts: "old new" lines (a trailing * maps a prefix) or
                       Disqus URL-mapper "old,new" rows
  -n, --dry-run        show the report without sending anything (needs no token: uses this checkout's posts)
      --json           print the report as JSON
      --restore-deleted  bring back comments deleted here that the file holds (restoring a backup on purpose)`,

  migrate: `Usage: npm run moderate -- migrate [--cursor <cursor>]

Brings every comment record in KV that the moderation ledger does not hold yet into it, with the status the
record has (in a v1 store, before the ledger, the record's status was the truth), then republishes every thread
and the counts from the ledger. Run it once after deploying the ledger over a v1 namespace.

It is idempotent (a comment the ledger holds, live or deleted, is never changed) and resumable: it walks the
records a few thousand at a time and prints a cursor after each step; --cursor starts from one. It prints how
many records it scanned, added and found already there.`,

  spam: `Usage: npm run moderate -- spam <id>...

Marks each comment as spam: kept for the record, never shown and never counted; a published one is unpublished.
Reports each id; an unknown id is reported and the others still run (exit code 1).`,

  moderators: `Usage: npm run moderate -- moderators add <name> [--role owner|moderator] [--email <address>] [--json]
       npm run moderate -- moderators list
       npm run moderate -- moderators revoke <name>
       npm run moderate -- moderators email <name> <address>|none
       npm run moderate -- moderators mail <name> on|off

Named moderators, each with their own token, so the audit log says who did what (owners only: run these with
the owner's MODERATOR_TOKEN or an owner's token).

  add     creates a moderator and prints their token once (only its hash is stored: it cannot be shown again).
          Moderators moderate; owners also manage moderators and rules.
  list    every moderator, with when they were added and revoked
  revoke  their token stops working at once, everywhere; their audit entries stay, their address and queued mail go
  email   keeps their address for mail (sealed), or removes it with "none"; needs mail on (MAIL_KEYS)
  mail    turns their email about comments held for moderation on or off (on once they have an address)

Options:
  -r, --role <role>  moderator (default) or owner
      --email <addr> also keep their address for mail (add): they are emailed about held comments
      --json         print {"name":…,"role":…,"token":…} on one line, for scripts`,

  rules: `Usage: npm run moderate -- rules list
       npm run moderate -- rules add <kind> [<value>] [--action hold|spam]
       npm run moderate -- rules remove <id>

Rules decide what happens to a new comment as it arrives: hold it for moderation (even from a returning commenter
AUTO_APPROVE_RETURNING would approve) or mark it spam. When several rules fire, spam wins. Adding and removing
rules is for owners, and every change is in the audit log.

Kinds:
  email <address>   comments from this address (only its salted hash is stored)
  word <text>       comments whose name, text or website contain this text (any case)
  links <n>         comments with more than n links
  first-comment     comments from an email with no approved comment yet

Options:
  -a, --action <action>  hold (default) or spam`,

  person: `Usage: npm run moderate -- person export <email> [--output <file>]
       npm run moderate -- person erase <email> [--yes]

One person's data, for an owner answering a request under UK GDPR (docs/privacy.md says how, within a month).

  export  prints JSON of everything held about the address: their comments (status, text, times, post, reply-to,
          name, website), block rules on the address's hash, audit entries about their comments (moderators by
          role only), open edit grants, and the reply-mail subscription (its state and the comments it watches). --output writes it to a file only you can read.
  erase   shows what it will erase and asks (--yes: does not ask; without a terminal, --yes is required). It erases
          their comments from the ledger, KV and the audit log's copies of their text, leaving a content-free
          tombstone per comment that no import can bring back; other people's replies stay. A block rule on the
          address stays. It asks for the site rebuild and prints a receipt with counts.

Options:
  -o, --output <file>  export: write to this file instead of standard output
  -y, --yes            erase: do not ask for confirmation`,

  audit: `Usage: npm run moderate -- audit [--limit <n>]

Shows the audit log, newest first: when, which moderator, the action, the comment's id and post, and its status
before and after (or the moderator or rule changed). Entries of a deleted comment stay, without its text.

Options:
  -n, --limit <n>  how many entries (default 50)`,
};
