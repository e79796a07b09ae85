// An edge worker (Cloudflare Workers / workerd) that serves a merchant's 3-D Secure URLs for all five
// providers and plain EMV. Secrets live in the worker's environment; none of them ever reaches a browser, and
// nothing the customer sends about itself (a cookie, a body's size) is taken on trust.
//
//   POST /3ds/notify              the ACS's notification URL (method and challenge): the notification page
//   GET|POST /return/:provider    a provider's return URL: the normalised result as JSON
//   POST /return/acquired-fresh   the same for Acquired.com, refusing returns older than 10 minutes (replays)
//   POST /webhooks/acquired       Acquired.com webhook, checked with the app key
//   POST /webhooks/veritrans      VeriTrans4G push notification, checked with the push secret
//   GET /browser-info             the AReq browser fields only the edge sees (Accept header, IP)
//
// Environment, each read only by the routes that need it (unset, empty or malformed is a 500 that names nothing,
// and the variable's name, never its value, goes to console.error):
//   MERCHANT_ORIGIN                     /3ds/notify
//   ACQUIRED_APP_KEY                    /return/acquired, /return/acquired-fresh, /webhooks/acquired
//   VERITRANS_MERCHANT_CC_ID and        /return/veritrans
//   VERITRANS_MERCHANT_PASSWORD
//   VERITRANS_PUSH_SECRET               /webhooks/veritrans
//   INGENICO_COOKIE_SECRET              /return/ingenico: the cookie's HMAC key, its UTF-8 bytes as written
//                                       (e.g. `openssl rand -hex 32`), shared with the merchant's server
// KOMOJU, Shift4 and EMV returns carry no signature and get no key.
//
// Ingenico's RETURNMAC comes back in the return's query, so it proves something only when compared with the one
// the merchant's server got when it created the payment. That server hands it to this worker in the
// HttpOnly cookie `ingenico_return`, sealed so the customer can neither forge it nor use it for another payment:
//   v1.<base64url(reference)>.<base64url(RETURNMAC)>.<expiry, Unix seconds>.<base64url(HMAC-SHA256)>
// the HMAC keyed with INGENICO_COOKIE_SECRET over everything before its own dot. `reference` is the payment ID
// (the return's REF) or, for a hosted checkout, the hostedCheckoutId; every reference the return carries must
// equal it. `sealIngenicoReturn` below builds the value with WebCrypto (in a worker or Node 20+).
import {
  parseReturn,
  respondToNotification,
  serverBrowserInfo,
  verifyAcquiredWebhook,
  verifyVeritransPush,
} from "threeds-kit";

const MAX_BODY = 256 * 1024;
const INGENICO_COOKIE = "ingenico_return";
const BASE64URL = /^[A-Za-z0-9_-]+$/;

// The return keys each provider's route passes to the package (option name -> environment variable). The
// package refuses another provider's key or half a pair (`invalid_keys`), and a route given only its own keys
// cannot check a return against the wrong one.
const RETURN_KEYS = {
  acquired: { acquiredAppKey: "ACQUIRED_APP_KEY" },
  veritrans: { veritransMerchantCcId: "VERITRANS_MERCHANT_CC_ID", veritransMerchantPassword: "VERITRANS_MERCHANT_PASSWORD" },
  ingenico: {}, // its RETURNMAC comes from the sealed cookie
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

/** A variable set to something no check can use: the operator's mistake, logged by name, never the customer's. */
function invalidVariable(name, what) {
  console.error(`edge worker: ${name} is not ${what}`);
  throw new Refusal("server_misconfigured", "an environment variable is not valid", 500);
}

/** MERCHANT_ORIGIN, which must be exactly an origin (`https://shop.example`). */
function merchantOrigin(env) {
  const value = required(env, "MERCHANT_ORIGIN");
  let origin;
  try {
    origin = new URL(value).origin;
  } catch {}
  return origin === value ? value : invalidVariable("MERCHANT_ORIGIN", "an origin such as https://shop.example");
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

/** The raw value of the first cookie called `name`; no percent-decoding (the sealed value needs none). */
function cookie(request, name) {
  for (const pair of (request.headers.get("cookie") ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at !== -1 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

const encoder = new TextEncoder();

const hmacKey = (secret, usage) =>
  crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);

function toBase64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  return Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));
}

/**
 * The value of the `ingenico_return` cookie for a payment: `reference` (the payment ID, or the hostedCheckoutId
 * of a hosted checkout), the `returnMac` Ingenico returned when it was created, `expiresAt` in Unix seconds,
 * sealed with `secret` (INGENICO_COOKIE_SECRET). Set it HttpOnly, Secure, SameSite=Lax.
 */
export async function sealIngenicoReturn({ reference, returnMac, expiresAt }, secret) {
  const sealed = `v1.${toBase64url(encoder.encode(reference))}.${toBase64url(encoder.encode(returnMac))}.${expiresAt}`;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), encoder.encode(sealed)));
  return `${sealed}.${toBase64url(mac)}`;
}

/** The reference and RETURNMAC the merchant's server sealed in the cookie, once its HMAC and expiry are checked. */
async function openIngenicoSeal(request, secret) {
  const value = cookie(request, INGENICO_COOKIE);
  if (value === undefined) throw new Refusal("missing_field", `no ${INGENICO_COOKIE} cookie: the payment's RETURNMAC is unknown here`, 400);
  const malformed = new Refusal("invalid_field", `the ${INGENICO_COOKIE} cookie is not a sealed RETURNMAC`, 400);
  const parts = value.split(".");
  if (parts.length !== 5 || parts[0] !== "v1" || !/^\d{1,12}$/.test(parts[3]) || ![1, 2, 4].every((i) => BASE64URL.test(parts[i]))) {
    throw malformed;
  }
  let mac;
  try {
    mac = fromBase64url(parts[4]);
  } catch {
    throw malformed;
  }
  // crypto.subtle.verify compares in constant time.
  const authentic = await crypto.subtle.verify("HMAC", await hmacKey(secret, "verify"), mac, encoder.encode(parts.slice(0, 4).join(".")));
  if (!authentic) throw new Refusal("integrity_failed", `the ${INGENICO_COOKIE} cookie was not sealed by this merchant`, 403);
  if (Number(parts[3]) <= Date.now() / 1000) throw new Refusal("invalid_field", `the ${INGENICO_COOKIE} cookie has expired`, 400);
  try {
    const text = new TextDecoder("utf-8", { fatal: true });
    return { reference: text.decode(fromBase64url(parts[1])), returnMac: text.decode(fromBase64url(parts[2])) };
  } catch {
    throw malformed;
  }
}

/** A return: only `provider`'s keys, a body read through the cap, the package's `parseReturn`. */
async function returnRoute(request, env, provider, options = {}) {
  const keys = {};
  for (const [option, name] of Object.entries(RETURN_KEYS[provider])) keys[option] = required(env, name);
  const seal = provider === "ingenico" ? await openIngenicoSeal(request, required(env, "INGENICO_COOKIE_SECRET")) : null;
  if (seal) {
    // A RETURNMAC is only worth something for the payment it was issued with: the package refuses a return
    // whose REF or hostedCheckoutId is another payment's.
    keys.ingenicoReturnMac = seal.returnMac;
    options = { ...options, expectedOrderId: seal.reference };
  }
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
    const targetOrigin = merchantOrigin(env);
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
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(secret)) invalidVariable("VERITRANS_PUSH_SECRET", "the hex secret key VeriTrans issued");
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
