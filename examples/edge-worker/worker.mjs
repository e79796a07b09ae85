// An edge worker (Cloudflare Workers / workerd) that serves a merchant's 3-D Secure URLs for all five
// providers and plain EMV. Secrets live in the worker's environment; none of them ever reaches a browser.
// Bodies are read through a 256 KiB cap, dropped as soon as they pass it.
//
//   POST /3ds/notify              the ACS's notification URL (method and challenge): the notification page
//   GET|POST /return/:provider    a provider's return URL: the normalised result as JSON
//   POST /return/acquired-fresh   the same for Acquired.com, refusing returns older than 10 minutes (replays)
//   POST /webhooks/acquired       Acquired.com webhook, checked with the app key
//   POST /webhooks/veritrans      VeriTrans4G push notification, checked with the push secret
//   GET /browser-info             the AReq browser fields only the edge sees (Accept header, IP)
//
// Environment, each read only by the routes that need it (unset or empty is a 500 that names nothing, and the
// variable's name, never its value, goes to console.error):
//   MERCHANT_ORIGIN                     /3ds/notify
//   ACQUIRED_APP_KEY                    /return/acquired, /return/acquired-fresh, /webhooks/acquired
//   VERITRANS_MERCHANT_CC_ID and        /return/veritrans
//   VERITRANS_MERCHANT_PASSWORD
//   VERITRANS_PUSH_SECRET               /webhooks/veritrans
// KOMOJU, Shift4 and EMV returns carry no signature and get no key. Ingenico's RETURNMAC is read from the
// HttpOnly cookie the checkout set when it created the payment.
import {
  parseReturn,
  respondToNotification,
  serverBrowserInfo,
  verifyAcquiredWebhook,
  verifyVeritransPush,
} from "threeds-kit";

const MAX_BODY = 256 * 1024;

// The return keys each provider's route passes to the package (option name -> environment variable). The
// package refuses another provider's key or half a pair (`invalid_keys`), and a route given only its own keys
// cannot check a return against the wrong one.
const RETURN_KEYS = {
  acquired: { acquiredAppKey: "ACQUIRED_APP_KEY" },
  veritrans: { veritransMerchantCcId: "VERITRANS_MERCHANT_CC_ID", veritransMerchantPassword: "VERITRANS_MERCHANT_PASSWORD" },
  ingenico: {}, // its RETURNMAC comes from a cookie
  komoju: {},
  shift4: {},
  emv: {},
};

/** A refusal the worker decides itself (the package's are `ThreeDsError`s): a stable code and its status. */
class Refusal extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** The HTTP status for a ThreeDsError code. */
function statusFor(code) {
  if (code === "too_large") return 413;
  if (code === "integrity_failed") return 403;
  return 400;
}

function error(code, message, status = statusFor(code)) {
  return Response.json({ code, message }, { status, headers: { "cache-control": "no-store" } });
}

const misconfigured = () => error("server_misconfigured", "the server cannot answer this request; its operator has been told", 500);

/** The environment variable `name`; unset or empty is the operator's mistake, logged by name only. */
function required(env, name) {
  const value = env[name];
  if (typeof value !== "string" || value === "") {
    console.error(`edge worker: ${name} is not set`);
    throw new Refusal("server_misconfigured", "an environment variable is not set", 500);
  }
  return value;
}

const tooLarge = () => new Refusal("too_large", `the request body is over ${MAX_BODY} bytes`, 413);

/**
 * The body as text, read chunk by chunk and abandoned as soon as it passes MAX_BODY bytes: a chunked body
 * without Content-Length is never buffered whole.
 */
async function readBody(request) {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY) throw tooLarge();
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}

function cookie(request, name) {
  const match = (request.headers.get("cookie") ?? "").split(/;\s*/).find((c) => c.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : undefined;
}

/** A return: only `provider`'s keys, a body read through the cap, the package's `parseReturn`. */
async function returnRoute(request, env, provider, options = {}) {
  const keys = {};
  for (const [option, name] of Object.entries(RETURN_KEYS[provider])) keys[option] = required(env, name);
  if (provider === "ingenico") keys.ingenicoReturnMac = cookie(request, "ingenico_returnmac");
  const { method, url } = request;
  const body = method === "GET" || method === "HEAD" ? "" : await readBody(request);
  const contentType = request.headers.get("content-type") ?? undefined;
  const result = parseReturn({ method, url, body, contentType }, { provider, ...(Object.keys(keys).length ? { keys } : {}), ...options });
  return Response.json(result, { headers: { "cache-control": "no-store" } });
}

async function handle(request, env) {
  const url = new URL(request.url);
  const path = url.pathname;

  if (path === "/3ds/notify" && request.method === "POST") {
    const targetOrigin = required(env, "MERCHANT_ORIGIN");
    const nonce = crypto.randomUUID().replaceAll("-", "");
    const { html } = respondToNotification(
      { body: await readBody(request), contentType: request.headers.get("content-type") },
      { targetOrigin, nonce },
    );
    return new Response(html, {
      headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'`, "cache-control": "no-store" },
    });
  }

  if (path === "/return/acquired-fresh") return returnRoute(request, env, "acquired", { maxAgeSeconds: 600 });

  if (path.startsWith("/return/")) {
    const provider = path.slice("/return/".length);
    if (!Object.hasOwn(RETURN_KEYS, provider)) return error("unknown_provider", `no provider ${provider}`, 404);
    return returnRoute(request, env, provider);
  }

  if (path === "/webhooks/acquired" && request.method === "POST") {
    const appKey = required(env, "ACQUIRED_APP_KEY");
    const body = await readBody(request);
    const ok = verifyAcquiredWebhook(body, request.headers.get("hash") ?? "", appKey);
    return ok ? new Response(null, { status: 204 }) : error("integrity_failed", "Hash header does not match");
  }

  if (path === "/webhooks/veritrans" && request.method === "POST") {
    const secret = required(env, "VERITRANS_PUSH_SECRET");
    const body = await readBody(request);
    const header = request.headers.get("content-hmac") ?? request.headers.get("authorization") ?? "";
    const ok = verifyVeritransPush(body, header, secret);
    return ok ? new Response(null, { status: 204 }) : error("integrity_failed", "push signature does not match");
  }

  if (path === "/browser-info" && request.method === "GET") {
    return Response.json(serverBrowserInfo({ acceptHeader: request.headers.get("accept"), ip: request.headers.get("cf-connecting-ip") }));
  }

  return error("not_found", `no route ${request.method} ${path}`, 404);
}

export default {
  async fetch(request, env) {
    try {
      return await handle(request, env);
    } catch (e) {
      if (e instanceof Refusal) return e.code === "server_misconfigured" ? misconfigured() : error(e.code, e.message, e.status);
      if (e?.name === "ThreeDsError" && e.code === "invalid_keys") {
        // The keys this worker passed are wrong for the route: its mistake (or its environment's), not the customer's.
        console.error(`edge worker: the package refused the keys for ${new URL(request.url).pathname}: ${e.message}`);
        return misconfigured();
      }
      if (e?.name === "ThreeDsError") return error(e.code, e.message);
      console.error("edge worker: unexpected error", e);
      return error("internal", "unexpected error", 500);
    }
  },
};
