// GET /admin: a small moderation page (issue 6). No framework, no third-party assets, a strict CSP (script and
// style only from this origin, fetch only to this origin). The page holds no data: the moderator pastes the token
// once per tab (sessionStorage) and every call to /api/admin/* carries it. Buttons are real <button>s, so the
// queue can be worked from the keyboard; after an action focus moves to the next comment.
import { Hono } from "hono";
import type { AppEnv } from "./context.ts";

export const ADMIN_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Comment moderation - Leadership Academy</title>
<link rel="stylesheet" href="/admin/admin.css">
<script src="/admin/admin.js" defer></script>
</head>
<body>
<main>
<h1>Comment moderation</h1>
<p id="message" role="status" aria-live="polite"></p>
<noscript><p>This page needs JavaScript. You can also moderate with <code>npm run moderate</code>.</p></noscript>
<form id="sign-in">
<p><label for="token">Moderator token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></p>
<p class="hint">The token stays in this browser tab only and is sent with every request.</p>
</form>
<section id="queue" aria-labelledby="queue-title" hidden>
<h2 id="queue-title" tabindex="-1">Comments</h2>
<p class="toolbar"><label for="status">Show</label>
<select id="status"><option value="pending">Pending</option><option value="approved">Approved</option><option value="rejected">Rejected</option></select>
<button type="button" id="refresh">Refresh</button> <button type="button" id="sign-out">Sign out</button></p>
<ol id="comments" class="comments"></ol>
</section>
</main>
</body>
</html>
`;

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1d;background:#fff}
main{max-width:50rem;margin:0 auto;padding:1rem}
.comments{list-style:none;padding:0}
.comments>li{border:1px solid #767676;border-radius:4px;padding:.75rem 1rem;margin:0 0 1rem}
.comments h3{margin:0 0 .25rem;font-size:1.1rem}
.meta{margin:0;color:#4a4a4a;font-size:.9rem;overflow-wrap:anywhere}
.body{white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0}
button,select,input{font:inherit}
button{padding:.3rem .8rem;margin-right:.5rem}
:focus-visible{outline:3px solid #005eb8;outline-offset:2px}
.hint{color:#4a4a4a;font-size:.9rem}
#message{font-weight:600}
`;

const SCRIPT = `"use strict";
(() => {
  const KEY = "moderatorToken";
  const $ = (id) => document.getElementById(id);
  const say = (text) => { $("message").textContent = text; };
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    node.append(...children);
    return node;
  };
  const ACTIONS = { approve: "Approve", reject: "Reject", delete: "Delete" };
  const DONE = { approve: "Approved", reject: "Rejected", delete: "Deleted" };

  async function api(path, init) {
    const token = sessionStorage.getItem(KEY);
    const response = await fetch("/api/admin" + path, {
      ...init, headers: { authorization: "Bearer " + token }, cache: "no-store",
    });
    if (response.status === 401) { signOut(); throw new Error("That token was not accepted. Sign in again."); }
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error(body.message || "The request failed (" + response.status + ").");
    }
    return response.status === 204 ? null : response.json();
  }

  function card(comment, posts) {
    const title = (posts[comment.post] && posts[comment.post].title) || comment.post;
    const headingId = "c-" + comment.id;
    const when = new Date(comment.createdAt);
    const meta = [comment.email || "no email", comment.website || "no website"];
    if (comment.parentId) meta.push("reply to " + comment.parentId);
    if (comment.moderatedAt) meta.push("moderated " + new Date(comment.moderatedAt).toLocaleString("en-GB"));
    const buttons = Object.keys(ACTIONS)
      .filter((action) => !(action === "approve" && comment.status === "approved") && !(action === "reject" && comment.status === "rejected"))
      .map((action) => {
        const button = el("button", { type: "button", "aria-describedby": headingId }, ACTIONS[action]);
        button.addEventListener("click", () => act(comment, action, button.closest("li")));
        return button;
      });
    return el("li", { "data-id": comment.id },
      el("article", { "aria-labelledby": headingId },
        el("h3", { id: headingId }, comment.author + " on \\u201c" + title + "\\u201d"),
        el("p", { class: "meta" }, el("time", { datetime: comment.createdAt }, when.toLocaleString("en-GB")), " \\u00b7 " + meta.join(" \\u00b7 ")),
        el("div", { class: "body" }, comment.body),
        el("p", {}, ...buttons)));
  }

  async function load() {
    const status = $("status").value;
    say("Loading " + status + " comments\\u2026");
    try {
      const { comments, posts } = await api("/comments?status=" + encodeURIComponent(status));
      $("comments").replaceChildren(...comments.map((c) => card(c, posts)));
      say(comments.length === 1 ? "1 " + status + " comment." : comments.length + " " + status + " comments.");
    } catch (error) { say(error.message); }
  }

  async function act(comment, action, item) {
    if (action === "delete" && !confirm("Delete the comment by " + comment.author + " for good?")) return;
    for (const button of item.querySelectorAll("button")) button.disabled = true;
    try {
      if (action === "delete") await api("/comments/" + encodeURIComponent(comment.id), { method: "DELETE" });
      else await api("/comments/" + encodeURIComponent(comment.id) + "/" + action, { method: "POST" });
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      say(DONE[action] + " the comment by " + comment.author + ".");
      (next ? next.querySelector("button") : $("queue-title")).focus();
    } catch (error) {
      for (const button of item.querySelectorAll("button")) button.disabled = false;
      say(error.message);
    }
  }

  function signOut() {
    sessionStorage.removeItem(KEY);
    $("queue").hidden = true;
    $("sign-in").hidden = false;
    $("comments").replaceChildren();
  }

  function showQueue() {
    $("sign-in").hidden = true;
    $("queue").hidden = false;
    return load();
  }

  $("sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, $("token").value.trim());
    $("token").value = "";
    await showQueue();
    if (!$("queue").hidden) $("queue-title").focus();
  });
  $("status").addEventListener("change", load);
  $("refresh").addEventListener("click", load);
  $("sign-out").addEventListener("click", () => { signOut(); say("Signed out."); $("token").focus(); });
  if (sessionStorage.getItem(KEY)) showQueue();
})();
`;

export const adminPage = new Hono<AppEnv>();

adminPage.use("*", async function adminPageHeaders(c, next) {
  await next();
  c.header("Content-Security-Policy", ADMIN_PAGE_CSP);
  c.header("Cache-Control", "no-cache");
});

adminPage.get("/", (c) => c.html(PAGE));
adminPage.get("/admin.js", (c) => c.body(SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8" }));
adminPage.get("/admin.css", (c) => c.body(STYLE, 200, { "content-type": "text/css; charset=utf-8" }));
