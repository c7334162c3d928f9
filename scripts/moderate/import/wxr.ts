// A WordPress export (WXR: the RSS file Tools → Export writes, wp-admin/includes/export.php). Each `item` is a post
// or page; its `wp:comment` entries are read with their status: `wp:comment_approved` "1" approved, "0" pending,
// "spam" spam, "trash"/"post-trashed" deleted. Pingbacks and trackbacks are notices from other sites, not
// comments: left out and counted. The HTML is kept as WordPress stored it and rendered by the WordPress tag
// mapping (worker/render/wp-html.ts). The post author's own comments ("bypostauthor") carry the Author badge.
// Ids stay `wp-<comment_id>` (plan.ts), as earlier imports made them, so an old import is never duplicated.
// Time zone: `wp:comment_date_gmt` is UTC. When it is "0000-00-00 00:00:00" (drafts, some plugins), the local
// `wp:comment_date` is used and read as UTC: the export does not say the site's zone, so it may be off by it.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { decodeEntities, stripTags } from "../html-text.ts";
import { checkRecord, type ImportRecord, type ParsedSource, str, strOrNull, toUtc } from "./record.ts";

interface WxrComment {
  "wp:comment_id"?: unknown;
  "wp:comment_author"?: unknown;
  "wp:comment_author_email"?: unknown;
  "wp:comment_author_url"?: unknown;
  "wp:comment_date"?: unknown;
  "wp:comment_date_gmt"?: unknown;
  "wp:comment_content"?: unknown;
  "wp:comment_approved"?: unknown;
  "wp:comment_type"?: unknown;
  "wp:comment_parent"?: unknown;
  "wp:comment_user_id"?: unknown;
}

interface WxrItem {
  title?: unknown;
  link?: unknown;
  "wp:post_name"?: unknown;
  "dc:creator"?: unknown;
  "wp:comment"?: WxrComment[];
}

interface WxrAuthor {
  "wp:author_id"?: unknown;
  "wp:author_login"?: unknown;
}

const WXR_NAMESPACE = "wordpress.org/export/";
const STATUSES: Record<string, ImportRecord["status"]> = { "1": "approved", "0": "pending", spam: "spam", trash: "deleted", "post-trashed": "deleted" };

/** True when `text` looks like a WordPress export. */
export function isWxr(text: string): boolean {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  return start.startsWith("<") && /<rss\b/.test(start) && start.includes(WXR_NAMESPACE);
}

/** Reads every comment of a WXR document (any status) as neutral records; pingbacks are counted, not returned. */
export function parseWxr(xml: string): ParsedSource {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`bad XML at line ${valid.err.line}: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) => name === "item" || name === "wp:comment" || name === "wp:author",
  });
  const doc = parser.parse(xml) as { rss?: { channel?: { item?: WxrItem[]; "wp:author"?: WxrAuthor[] } } };
  if (!doc.rss?.channel) throw new Error("not a WordPress export: no <rss><channel>");
  // WordPress names a post's author by login (dc:creator) and a comment's by user id: the list joins them.
  const userIds = new Map((doc.rss.channel["wp:author"] ?? []).map((a) => [str(a["wp:author_login"]), str(a["wp:author_id"])]));
  const records: ImportRecord[] = [];
  let notComments = 0;
  for (const item of doc.rss.channel.item ?? []) {
    const slug = str(item["wp:post_name"]);
    const postAuthorId = userIds.get(str(item["dc:creator"])) ?? "";
    for (const entry of item["wp:comment"] ?? []) {
      if (!["", "comment"].includes(str(entry["wp:comment_type"]))) {
        notComments++;
        continue;
      }
      const id = str(entry["wp:comment_id"]);
      const parent = str(entry["wp:comment_parent"]);
      const userId = str(entry["wp:comment_user_id"]);
      const gmt = str(entry["wp:comment_date_gmt"]);
      records.push(checkRecord({
        source: "wordpress",
        sourceId: id,
        parentSourceId: parent === "" || parent === "0" ? null : parent,
        thread: { key: slug, url: strOrNull(item.link), title: strOrNull(item.title) },
        // WordPress stores the name as HTML (kses-filtered, entities encoded): shown as its text.
        author: decodeEntities(stripTags(str(entry["wp:comment_author"]))),
        email: strOrNull(entry["wp:comment_author_email"]),
        emailHash: null,
        website: strOrNull(entry["wp:comment_author_url"]),
        createdAt: toUtc(gmt.startsWith("0000") ? "" : gmt) ?? toUtc(str(entry["wp:comment_date"])),
        body: typeof entry["wp:comment_content"] === "string" ? entry["wp:comment_content"] : str(entry["wp:comment_content"]),
        format: "html",
        status: STATUSES[str(entry["wp:comment_approved"])] ?? "deleted",
        ...(userId !== "" && userId !== "0" && userId === postAuthorId ? { byBlog: true } : {}),
      }, `comment ${id || "(no id)"} on ${slug || "(no slug)"}`));
    }
  }
  return { source: "wordpress", records, notComments };
}
