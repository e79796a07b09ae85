// The demo and test server (Node built-ins plus the package itself): the merchant on http://127.0.0.1:PORT
// and the mock ACS on http://localhost:ACS_PORT, two origins, so that every message really crosses origins.
//   node www/server.mjs [--port 8080] [--acs-port 8081] [--pkg DIR] [--quiet]
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { acsRoutes } from "./mock/acs.mjs";
import { merchantRoutes } from "./mock/merchant.mjs";
import { probeRoutes } from "./mock/probes.mjs";
import { providerRoutes } from "./mock/providers.mjs";
import { json, send } from "./mock/http.mjs";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const pkgDir = resolve(option("--pkg", join(root, "pkg")));
const quiet = args.includes("--quiet");
const log = (line) => quiet || console.log(line);

const lib = await import(join(pkgDir, "node.js"));
const transactions = new Map();

function listen(handler, port, host) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://x");
      if ((await handler(req, res, url)) === false && !res.headersSent) send(res, 404, "not found", { "content-type": "text/plain" });
    } catch (error) {
      if (!res.headersSent) json(res, error.status ?? 400, { code: error.code ?? "bad_request", message: error.message });
    }
  });
  return new Promise((resolve) => server.listen(Number(port), host, () => resolve(server.address().port)));
}

// Both servers listen before the routes are made, so that each knows the other's origin.
let acs = null;
let merchant = null;
const acsPort = await listen((...a) => acs(...a), option("--acs-port", 8081), "127.0.0.1");
const merchantPort = await listen((...a) => merchant(...a), option("--port", 8080), "127.0.0.1");
const acsOrigin = `http://localhost:${acsPort}`;
const merchantOrigin = `http://127.0.0.1:${merchantPort}`;
const providers = providerRoutes({ lib, merchantOrigin, acsOrigin, log });
const acsPages = acsRoutes({ lib, transactions, log });
const probes = probeRoutes({ merchantOrigin });
const merchantPages = merchantRoutes({ lib, transactions, merchantOrigin, acsOrigin, wwwDir: join(root, "www"), pkgDir, log });
acs = async (req, res, url) => {
  for (const routes of [providers.hosted, probes, acsPages]) if ((await routes(req, res, url)) !== false) return undefined;
  return false;
};
merchant = async (req, res, url) => ((await providers.merchant(req, res, url)) === false ? merchantPages(req, res, url) : undefined);

console.log(`threeds-kit demo: ${merchantOrigin}/  (checkout: ${merchantOrigin}/checkout.html, providers: ${merchantOrigin}/providers.html, inspector: ${merchantOrigin}/inspector.html)`);
console.log(`mock ACS: ${acsOrigin}/  (another origin)`);
