// What the packaging tests share: the packed tarball, scratch projects with their own locked dependencies, the
// mock ACS (the demo server), a merchant server for a bundler's output, and the 3DS Method run in Chromium.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { launchChromium } from "../package/support.mjs";

export { launchChromium };
export const repoRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
export const packagingDir = `${repoRoot}/tests/packaging`;
export const scratchDir = `${packagingDir}/scratch`;
const log = (line) => console.log(`packaging: ${line}`);

/**
 * Runs `command args` in `cwd` and resolves to its output; on failure rejects with its output, which is the
 * bundler's own diagnosis. Asynchronous, so that the servers and sockets of this process keep being served.
 */
export function run(command, args, cwd, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let output = "";
    child.stdout.on("data", (c) => ((stdout += c), (output += c)));
    child.stderr.on("data", (c) => (output += c));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} ${args.join(" ")} failed (${code ?? signal}) in ${cwd}:\n${output}`)));
  });
}

const npm = (args, cwd) => run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], cwd);

let packed = null;
/** Packs pkg/ once per process (`npm pack`, as a publish would); resolves to the tarball's path. */
export async function tarball() {
  if (packed) return packed;
  if (!existsSync(`${repoRoot}/pkg/package.json`)) throw new Error("pkg/ is missing: run `make pkg` first");
  mkdirSync(scratchDir, { recursive: true });
  for (const old of readdirSync(scratchDir).filter((f) => f.endsWith(".tgz"))) rmSync(`${scratchDir}/${old}`);
  const name = (await npm(["pack", `${repoRoot}/pkg`, "--pack-destination", scratchDir, "--silent"], scratchDir)).trim().split("\n").pop();
  packed = `${scratchDir}/${name}`;
  log(`packed ${name}`);
  return packed;
}

const installed = new Set();
/**
 * Lays out the scratch project `name` from tests/packaging/projects/<name> (its package.json and lockfile, and
 * any files of its own), installs its locked dependencies when they are missing or the lockfile changed, then
 * the packed tarball (once per run), as a user installs a package. Returns its directory. `npm install` with
 * the lockfile, not `npm ci`: the registry here leaves other platforms' optional packages out of lockfiles,
 * which `npm ci` refuses as out of sync (scripts/setup.sh does the same); the lockfile still pins every version.
 */
export async function project(name) {
  const source = `${packagingDir}/projects/${name}`;
  const dir = `${scratchDir}/${name}`;
  const lock = readFileSync(`${source}/package-lock.json`, "utf8");
  const stamp = `${dir}/node_modules/.threeds-kit-lockfile`;
  const fresh = existsSync(stamp) && readFileSync(stamp, "utf8") === lock;
  // Everything but node_modules is laid out anew, so that nothing of an earlier run (a build, a config) lingers.
  if (existsSync(dir)) for (const entry of readdirSync(dir)) if (entry !== "node_modules") rmSync(`${dir}/${entry}`, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(source, dir, { recursive: true });
  if (!fresh) {
    const started = Date.now();
    rmSync(`${dir}/node_modules`, { recursive: true, force: true });
    await npm(["install", "--include=dev"], dir);
    writeFileSync(stamp, lock);
    log(`${name}: npm install from its lockfile (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  if (installed.has(name)) return dir;
  const started = Date.now();
  await npm(["install", "--no-save", await tarball()], dir);
  // Vite keeps its pre-bundled dependencies here, keyed by the lockfile, which the tarball does not change.
  rmSync(`${dir}/node_modules/.vite`, { recursive: true, force: true });
  installed.add(name);
  log(`${name}: installed the tarball (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return dir;
}

/** The package as Node loads it, installed once from the tarball: the demo server and the merchant use it. */
export async function serverPackage() {
  const dir = `${scratchDir}/server`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/package.json`, JSON.stringify({ name: "packaging-server", private: true, type: "module" }));
  await npm(["install", "--no-save", await tarball()], dir);
  return `${dir}/node_modules/threeds-kit`;
}


const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * The merchant, as a static host would serve a bundler's output: `dir`'s files as they are (no fallback page:
 * a missing file is a 404), and the method notification URL answered with the package's responder, posting to
 * `targetOrigin` (this server's own origin unless given: a dev server's page posts from another).
 */
export async function startMerchant({ dir = null, lib, targetOrigin = null }) {
  let origin;
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (req.method === "POST" && path === "/3ds/method-notification") {
      const nonce = randomBytes(16).toString("base64");
      const { html } = lib.respondToNotification({ body: await readBody(req), contentType: req.headers["content-type"] }, { targetOrigin: targetOrigin ?? origin, nonce });
      res.writeHead(200, { "content-type": "text/html", "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'` });
      return res.end(html);
    }
    const file = dir && normalize(join(dir, path.endsWith("/") ? `${path}index.html` : path));
    if (req.method === "GET" && file && file.startsWith(dir) && existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      return res.end(readFileSync(file));
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, stop: () => server.close() };
}

/** A port free on 127.0.0.1 at the time of asking, for servers that must be told theirs. */
export function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts a development or production server (`vite`, `next start`...) in its own process group and waits until
 * `url` answers; `stop()` ends the group (the server and any workers it forked). Its output is kept for errors.
 */
export async function startServer(command, args, { cwd, env = {}, url, ms = 60000 }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${command} ${args.join(" ")} exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    try {
      await fetch(url);
      return { stop, output: () => output };
    } catch {
      if (Date.now() > deadline) {
        stop();
        throw new Error(`${url} did not answer within ${ms / 1000} s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** fetch, tried a second time if the first meets a kept-alive connection the server has just closed. */
const fetchOnce = (url, init) => fetch(url, init).catch(() => fetch(url, init));

/**
 * The 3DS Method of a frictionless transaction of the mock 3DS Server, run by `pageUrl` in Chromium: the page
 * reads methodUrl, id and notificationUrl from its query, calls runMethod and sets window.result. With `pay`,
 * the page waits for a click on #pay first (the on-demand recipe). Resolves to { result, methodReceived,
 * problems, requested, requestedBeforePay }: problems lists page errors, console errors and failed requests;
 * requested every URL the page asked for, requestedBeforePay those before the click (null without `pay`).
 */
export async function methodFlow({ browser, demo, pageUrl, notificationUrl, timeout = 30000, pay = false }) {
  const prepared = await prepareMethod(demo);
  const page = await browser.newPage();
  const problems = [];
  // Every URL the page requests, in order; with `pay`, those it requested before the click are kept apart.
  const requested = [];
  page.on("request", (r) => requested.push(r.url()));
  let requestedBeforePay = null;
  page.on("pageerror", (e) => problems.push(`page error: ${e}`));
  // (Chromium's "Failed to load resource" lines are the responses below, or the favicon.)
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && problems.push(`console: ${m.text()}`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  try {
    const query = new URLSearchParams({ methodUrl: prepared.methodUrl, id: prepared.threeDSServerTransID, notificationUrl });
    const loaded = await page.goto(`${pageUrl}${pageUrl.includes("?") ? "&" : "?"}${query}`).then(() => null, (e) => ({ error: `navigation: ${e.message.split("\n")[0]}` }));
    if (loaded) return { result: loaded, methodReceived: false, problems };
    if (pay) {
      // The page as the customer sees it before paying: loaded, and nothing more on its way.
      await page.waitForLoadState("networkidle");
      requestedBeforePay = [...requested];
      await page.click("#pay");
    }
    // A page error (the module graph failing to load, the wasm failing to compile) ends the wait at once: the
    // page's own catch never runs then.
    const pageError = new Promise((resolve) => page.on("pageerror", (e) => resolve({ error: `page error: ${e}` })));
    const result = await Promise.race([
      page.waitForFunction(() => window.result, null, { timeout }).then((h) => h.jsonValue(), () => ({ error: `no result within ${timeout / 1000} s` })),
      pageError,
    ]);
    const timings = await (await fetchOnce(`${demo.origin}/api/3ds/timings?id=${prepared.threeDSServerTransID}`)).json();
    return { result, methodReceived: timings.methodReceivedAt !== null, problems, requested, requestedBeforePay };
  } finally {
    await page.close();
  }
}

/** A frictionless transaction on the mock 3DS Server: its method URL and threeDSServerTransID. */
async function prepareMethod(demo) {
  return (await fetchOnce(`${demo.origin}/api/3ds/prepare`, { method: "POST", body: JSON.stringify({ scenario: "frictionless" }) })).json();
}

/**
 * The same flow as `methodFlow`, in a WebDriver engine (tests/package/browsers.mjs: Firefox ESR, WebKitGTK): the
 * page loaded, the Pay button clicked with `pay` (a real click), and window.result read. WebDriver reports no
 * requests or console lines, so the outcome has the result and whether the ACS received the method POST.
 */
export async function methodFlowInEngine({ browser, demo, pageUrl, notificationUrl, timeout = 30000, pay = false }) {
  const prepared = await prepareMethod(demo);
  const page = await browser.newPage();
  try {
    const query = new URLSearchParams({ methodUrl: prepared.methodUrl, id: prepared.threeDSServerTransID, notificationUrl });
    await page.goto(`${pageUrl}${pageUrl.includes("?") ? "&" : "?"}${query}`);
    if (pay) await page.click("#pay");
    const result = await page
      .waitForFunction(() => window.result ?? null, null, { timeout })
      .catch((e) => ({ error: `no result within ${timeout / 1000} s (${e.message.split("\n")[0]})` }));
    const timings = await (await fetchOnce(`${demo.origin}/api/3ds/timings?id=${prepared.threeDSServerTransID}`)).json();
    return { result, methodReceived: timings.methodReceivedAt !== null, problems: [] };
  } finally {
    await page.close();
  }
}
