// The two shapes of a comment, declared once for the worker, the moderation CLI and the page script.
// Types only: importing this file adds nothing to a bundle.
import type { Status } from "./schema.ts";

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
}

/** What readers get: never an email, IP or moderation field. */
export interface PublicComment {
  id: string;
  parentId: string | null;
  author: string;
  website: string | null;
  body: string;
  createdAt: string;
}
