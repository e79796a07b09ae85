// Small HTTP helpers for the mock servers (Node built-ins only).
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };

/** Reads a request body as text, refusing more than `limit` bytes. */
export function readBody(req, limit = 512 * 1024) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(Object.assign(new Error("body too large"), { status: 413 }));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function send(res, status, body, headers = {}) {
  res.writeHead(status, { "cache-control": "no-store", ...headers });
  res.end(body);
}

export const json = (res, status, value) => send(res, status, JSON.stringify(value), { "content-type": "application/json" });
export const html = (res, body, headers = {}) => send(res, 200, body, { "content-type": "text/html; charset=utf-8", ...headers });

/** Serves a file under `base` (never outside it); returns false when there is none. */
export function serveFile(res, base, relative, headers = {}) {
  const file = normalize(join(base, relative));
  if (!file.startsWith(base) || !existsSync(file) || !statSync(file).isFile() || file.endsWith(".mjs")) return false;
  send(res, 200, readFileSync(file), { "content-type": types[extname(file)] ?? "application/octet-stream", ...headers });
  return true;
}

/** HTML-escapes text for the mock ACS's own pages. */
export const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A page that form-POSTs `fields` to `action` by itself, as ACSs and providers send results back through the
 * browser. `delay` (ms) waits first; `before` is script the page runs first (the mock ACS's test hooks).
 */
export function autoPost(action, fields, { delay = 0, before = "" } = {}) {
  const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join("");
  return `<!doctype html><meta charset="utf-8"><title>Returning</title><body><p>Returning to the merchant…</p>
<form method="POST" action="${escapeHtml(action)}">${inputs}</form>
<script>${before};setTimeout(function(){document.forms[0].submit()}, ${Number(delay)});</script></body>`;
}
