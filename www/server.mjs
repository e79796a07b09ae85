// The demo server (Node built-ins only): serves www/ and the built package (pkg/) on localhost.
// Every page is sent with a strict Content-Security-Policy, the one merchants should be able to keep.
import { readFileSync, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const port = Number(option("--port", 8080));
// Tests point --pkg at the package installed from the packed tarball; the demo serves the fresh build.
const pkgDir = normalize(option("--pkg", join(root, "pkg")));

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };
const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'";

/** Maps a URL path to a file under www/ or pkg/, never outside them. */
function fileFor(pathname) {
  const [base, rest] = pathname.startsWith("/pkg/") ? [pkgDir, pathname.slice(5)] : [join(root, "www"), pathname === "/" ? "index.html" : pathname.slice(1)];
  const file = normalize(join(base, rest));
  return file.startsWith(base) && existsSync(file) && statSync(file).isFile() ? file : null;
}

const server = createServer((req, res) => {
  const file = fileFor(decodeURIComponent(new URL(req.url, "http://localhost").pathname));
  if (!file || file.endsWith(".mjs")) {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return;
  }
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "content-security-policy": csp, "cache-control": "no-store" });
  res.end(readFileSync(file));
});

server.listen(port, "127.0.0.1", () => {
  const { port } = server.address();
  console.log(`threeds-kit demo: http://127.0.0.1:${port}/  (payload inspector: http://127.0.0.1:${port}/inspector.html)`);
  console.log("Ctrl-C stops it.");
});
