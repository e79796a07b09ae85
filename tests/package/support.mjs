// What the package tests share: where the scratch app is, a static file server, Chromium and workerd.
import { spawn } from "node:child_process";
import { after, before } from "node:test";
import { readFileSync, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, relative } from "node:path";
import { Browser, chromiumArgs } from "./browsers.mjs";

export const repoRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
export const scratchDir = `${repoRoot}/tests/package/scratch`;
export const appDir = `${scratchDir}/app`;
export const installedDir = `${appDir}/node_modules/threeds-kit`;
export const installedManifest = () => JSON.parse(readFileSync(`${installedDir}/package.json`, "utf8"));

const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".css": "text/css" };

/** Serves `routes` (URL prefix -> directory) on 127.0.0.1; `headers` are added to every response. */
export function serveStatic(routes, headers = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    for (const [prefix, dir] of Object.entries(routes)) {
      if (!path.startsWith(prefix)) continue;
      const file = normalize(join(dir, path.slice(prefix.length)));
      if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) continue;
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", ...headers });
      res.end(readFileSync(file));
      return;
    }
    res.writeHead(404).end("not found");
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` })));
}

/** The edge worker example's environment in the tests (test keys only). */
export const edgeWorkerEnv = {
  MERCHANT_ORIGIN: "https://shop.example",
  ACQUIRED_APP_KEY: "app_key",
  VERITRANS_MERCHANT_CC_ID: "A100000000000001",
  VERITRANS_MERCHANT_PASSWORD: "merchant-password",
  VERITRANS_PUSH_SECRET: "00112233445566778899aabbccddeeff",
  INGENICO_COOKIE_SECRET: "5f0c2a7e9b8d4c3f1a6e0d2b7c9f8e1a3b5d7c9e0f2a4b6c8d0e2f4a6b8c0d2e",
};

/** Debian's Chromium, driven by playwright-core (which never downloads a browser). */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: chromiumArgs });
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts real workerd with `worker` as the main module and the installed package available as "threeds-kit"
 * (its `workerd` export condition, resolved the way a bundler does). `modules` adds more ES modules by name.
 */
export async function startWorkerd({ worker, modules = {}, jsonModules = {}, bindings = [], pollMs = 100 }) {
  const entry = installedManifest().exports["."].workerd.default.replace(/^\.\//, "");
  // capnp embeds are relative to the config file.
  const embed = (path) => `embed "${relative(scratchDir, path)}"`;
  const files = ["wasm/full.js", "wasm/full_bg.wasm", "full-api.js", "error.js"];
  const moduleLines = [
    `(name = "worker.mjs", esModule = ${embed(worker)})`,
    ...Object.entries(modules).map(([name, path]) => `(name = "${name}", esModule = ${embed(path)})`),
    ...Object.entries(jsonModules).map(([name, path]) => `(name = "${name}", json = ${embed(path)})`),
    `(name = "threeds-kit", esModule = ${embed(`${installedDir}/${entry}`)})`,
    // "threeds-kit/full" names the same workerd entry (the full build), as a bundler resolves it. workerd
    // resolves every specifier against the importing module's name, hence "../".
    `(name = "threeds-kit/full", esModule = ${JSON.stringify('export * from "../threeds-kit";')})`,
    ...files.map((f) => `(name = "${f}", ${f.endsWith(".wasm") ? "wasm" : "esModule"} = ${embed(`${installedDir}/${f}`)})`),
  ];
  const bindingLines = bindings.map(({ name, text }) => `(name = "${name}", text = ${JSON.stringify(text)})`);
  const port = await freePort();
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [${moduleLines.join(",\n    ")}],
  bindings = [${bindingLines.join(", ")}],
  compatibilityDate = "2025-09-01",
);
`;
  const configPath = `${scratchDir}/workerd-${port}.capnp`;
  (await import("node:fs")).writeFileSync(configPath, config);
  const child = spawn(`${repoRoot}/node_modules/.bin/workerd`, ["serve", configPath], { stdio: ["ignore", "inherit", "inherit"] });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}`);
    try {
      // A connection is enough to know it listens; the answer may be a 404.
      await fetch(`${origin}/__ready`);
      return { origin, pid: child.pid, stop: () => child.kill() };
    } catch {
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
  child.kill();
  throw new Error("workerd did not start listening within 10 s");
}

/**
 * Starts www/server.mjs (the mock 3DS Server on 127.0.0.1, the mock ACS on localhost) on free ports, serving
 * `pkgDir` (by default the installed package) as /pkg/; resolves to both origins.
 */
export async function startDemoServer(pkgDir = installedDir) {
  const child = spawn("node", [`${repoRoot}/www/server.mjs`, "--port", "0", "--acs-port", "0", "--pkg", pkgDir, "--quiet"], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  const origins = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += String(chunk);
      const merchant = /demo: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      const acs = /mock ACS: (http:\/\/localhost:\d+)/.exec(output);
      if (merchant && acs) resolve({ origin: merchant[1], acsOrigin: acs[1] });
    });
    child.on("exit", (code) => reject(new Error(`demo server exited with ${code}`)));
  });
  return { ...origins, stop: () => child.kill() };
}

/** Registers before/after hooks that start the demo server and `engine`'s browser; the returned object holds both. */
export function withDemoAndBrowser(engine) {
  const context = { demo: null, browser: null };
  before(async () => {
    context.demo = await startDemoServer();
    context.browser = await Browser.launch(engine);
  });
  after(async () => {
    await context.browser?.close();
    context.demo?.stop();
  });
  return context;
}
