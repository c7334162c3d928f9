// The two shapes of a comment, and the markup tree its content is drawn from, declared once for the worker, the
// moderation CLI, the site build and the comment script. Types only: importing this file adds nothing to a bundle.
import type { Format, Status } from "./intake/schema.ts";

/** An element (tag, attributes, children) or a text node: what a comment's content and a thread are drawn from. */
export type MarkupNode = string | MarkupElement;
export interface MarkupElement {
  tag: string;
  attrs: Record<string, string>;
  children: MarkupNode[];
}

/** A stored comment: the export and import format, and what the admin API lists. */
export interface AdminComment {
  id: string;
  post: string;
  parentId: string | null;
  author: string;
  email: string | null;
  website: string | null;
  body: string;
  createdAt: string;
  status: Status;
  moderatedAt: string | null;
  /** How `body` is written: Markdown (the default, what readers send) or WordPress comment HTML (imports). */
  format?: Format;
  /** Written by the blog itself, shown with an "Author" badge. Only imports and moderators set it, never a reader. */
  byBlog?: boolean;
}

/** A comment's status in the moderation ledger: a live status, or the tombstone a delete (`deleted`) or a person's erasure (`erased`) leaves. */
export type LedgerStatus = Status | "deleted" | "erased";

/** What readers get: never an email, IP or moderation field. */
export interface PublicComment {
  id: string;
  parentId: string | null;
  author: string;
  website: string | null;
  /** The text as written (Markdown or, for imports, WordPress HTML): draw `content`, never this as HTML. */
  body: string;
  /** The text rendered to the allow-listed markup tree (worker/render/content.ts); absent in threads published before it. */
  content?: MarkupNode[];
  createdAt: string;
  /** A hash of `body` (worker/publish/thread.ts): a page showing this comment redraws it when the revision changes. */
  revision?: string;
  byBlog?: true;
}
