// The edge worker example (examples/edge-worker) in real workerd, with the packed package: every provider's
// return shape, tampered signatures refused, malformed bodies answered 400 with a typed error, oversized 413
// (streamed ones as soon as they pass the cap), Ingenico's sealed cookie, and a second workerd with keys missing.
// Signatures and seals here are computed with Node's crypto, independently of the package and the worker.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { edgeWorkerEnv, repoRoot, scratchDir, startWorkerd } from "./support.mjs";
import { postedBy } from "./assertions.mjs";

const fixtures = JSON.parse(readFileSync(`${repoRoot}/tests/fixtures/providers.json`, "utf8"));
const env = edgeWorkerEnv;
const workerPath = `${repoRoot}/examples/edge-worker/worker.mjs`;
const MAX_BODY = 256 * 1024;
let workerd;
let probe;
let malformed;

// The second workerd: the worker's own fetch handler behind a probe that records which environment variables a
// request reads and what it logs with console.error. Its environment lacks keys: ACQUIRED_APP_KEY is empty,
// VeriTrans has its CCID without the password, MERCHANT_ORIGIN, VERITRANS_PUSH_SECRET and INGENICO_COOKIE_SECRET
// are unset. `x-probe-throw: NAME` makes reading NAME throw, as an unexpected error inside a route.
const partialEnv = { ACQUIRED_APP_KEY: "", VERITRANS_MERCHANT_CC_ID: env.VERITRANS_MERCHANT_CC_ID };
// The same worker with keys set but malformed: an origin with a path, a push secret that is not hex.
const malformedEnv = { ...env, MERCHANT_ORIGIN: "https://shop.example/checkout", VERITRANS_PUSH_SECRET: "not hex" };
const probeSource = `import edge, { sealIngenicoReturn } from "edge-worker.mjs";
export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/__seal") {
      const { fields, secret } = await request.json();
      return new Response(await sealIngenicoReturn(fields, secret));
    }
    const read = [];
    const logged = [];
    const throwOn = request.headers.get("x-probe-throw");
    const recorded = new Proxy(env, {
      get(target, name) {
        if (typeof name === "string") read.push(name);
        if (name === throwOn) throw new TypeError("probe: reading " + name + " failed");
        return target[name];
      },
    });
    const log = console.error;
    console.error = (...args) => logged.push(args.map(String).join(" "));
    try {
      const response = await edge.fetch(request, recorded);
      return Response.json({ status: response.status, body: await response.text(), read, logged });
    } finally {
      console.error = log;
    }
  },
};
`;

before(async () => {
  workerd = await startWorkerd({ worker: workerPath, bindings: Object.entries(env).map(([name, text]) => ({ name, text })) });
  const probePath = `${scratchDir}/edge-probe.mjs`;
  writeFileSync(probePath, probeSource);
  probe = await startWorkerd({ worker: probePath, modules: { "edge-worker.mjs": workerPath }, bindings: Object.entries(partialEnv).map(([name, text]) => ({ name, text })) });
  malformed = await startWorkerd({ worker: probePath, modules: { "edge-worker.mjs": workerPath }, bindings: Object.entries(malformedEnv).map(([name, text]) => ({ name, text })) });
});
after(() => {
  workerd?.stop();
  probe?.stop();
  malformed?.stop();
});

/** What the probe saw: the worker's status and body, the variables it read, what it logged. */
async function probed(path, init = {}, target = probe) {
  const response = await fetch(`${target.origin}${path}`, init);
  assert.equal(response.status, 200, "the probe itself answers 200");
  return response.json();
}

/** The `ingenico_return` cookie's value, sealed here with Node's crypto (the format in worker.mjs's header). */
function seal({ reference, returnMac, expiresAt = Math.floor(Date.now() / 1000) + 600 }, secret = env.INGENICO_COOKIE_SECRET) {
  const sealed = `v1.${Buffer.from(reference).toString("base64url")}.${Buffer.from(returnMac).toString("base64url")}.${expiresAt}`;
  return `${sealed}.${createHmac("sha256", secret).update(sealed).digest("base64url")}`;
}

const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const form = (fields) => new URLSearchParams(fields).toString();
const postForm = (path, fields, headers = {}) =>
  fetch(`${workerd.origin}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: typeof fields === "string" ? fields : form(fields) });

async function json(response, status) {
  const body = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  return body;
}

test("notification URL: the notification page, nonce in CSP and script, exact target origin", async () => {
  const id = "cc78c193-eaec-494f-9cf0-eb5fa3940b13";
  const response = await postForm("/3ds/notify", { threeDSMethodData: Buffer.from(JSON.stringify({ threeDSServerTransID: id })).toString("base64") });
  assert.equal(response.status, 200);
  const csp = response.headers.get("content-security-policy");
  const nonce = /'nonce-([A-Za-z0-9]+)'/.exec(csp)[1];
  const html = await response.text();
  assert.ok(html.includes(`<script nonce="${nonce}">`), html);
  const posted = postedBy(html);
  assert.deepEqual(posted.message.result, { type: "method", threeDSServerTransID: id }, html);
  assert.equal(posted.origin, "https://shop.example");
});

test("KOMOJU: secure_token_id on the return URL, result pending until the token is re-read", async () => {
  const body = await json(await fetch(`${workerd.origin}/return/komoju?order=42&secure_token_id=tok_123`), 200);
  assert.deepEqual([body.provider, body.outcome, body.trusted, body.verifyWithServer, body.ids.secureTokenId, body.raw.order], ["komoju", "pending", false, true, "tok_123", "42"]);
});

test("VeriTrans4G: a signed redirect POST is trusted; a tampered one is refused", async () => {
  const fields = { RequestId: "req-1", OrderId: "order-1", mpiMstatus: "success", vResultCode: "G011A00100000000", cardMstatus: "success" };
  const names = Object.keys(fields).join(",");
  const vAuthInfo = sha256(env.VERITRANS_MERCHANT_CC_ID + Object.values(fields).join("") + env.VERITRANS_MERCHANT_PASSWORD);
  const signed = { ...fields, authParams: Buffer.from(names).toString("base64"), vAuthInfo };
  const body = await json(await postForm("/return/veritrans", signed), 200);
  assert.deepEqual([body.outcome, body.trusted, body.verifyWithServer, body.ids.requestId, body.reason], ["authenticated", true, true, "req-1", "G011A00100000000"]);
  const tampered = await json(await postForm("/return/veritrans", { ...signed, vResultCode: "G012A00100000000" }), 403);
  assert.equal(tampered.code, "integrity_failed");
  const unsigned = await json(await postForm("/return/veritrans", fields), 403);
  assert.equal(unsigned.code, "integrity_failed");
});

const ingenicoMac = fixtures.ingenico.enrolled.merchantAction.redirectData.RETURNMAC;
const ingenicoRef = fixtures.ingenico.enrolled.payment.id;
const ingenicoReturn = (query, cookie) =>
  fetch(`${workerd.origin}/return/ingenico?cart=9&${query}`, { headers: cookie === undefined ? {} : { cookie: `theme=dark; ingenico_return=${cookie}` } });

test("Ingenico: RETURNMAC compared with the one sealed in the cookie for this payment; the outcome is read from the API", async () => {
  const query = `REF=${ingenicoRef}&RETURNMAC=${encodeURIComponent(ingenicoMac)}`;
  const body = await json(await ingenicoReturn(query, seal({ reference: ingenicoRef, returnMac: ingenicoMac })), 200);
  assert.deepEqual([body.outcome, body.trusted, body.verifyWithServer, body.ids.paymentId], ["pending", true, true, ingenicoRef]);
  const wrong = await json(await ingenicoReturn(`REF=${ingenicoRef}&RETURNMAC=somethingelse`, seal({ reference: ingenicoRef, returnMac: ingenicoMac })), 403);
  assert.equal(wrong.code, "integrity_failed");
  // A hosted checkout's return carries its hostedCheckoutId instead of REF.
  const hosted = "0c3b4b5f-6a7d-4e8f-9a0b-1c2d3e4f5a6b";
  const viaHosted = await json(await ingenicoReturn(`hostedCheckoutId=${hosted}&RETURNMAC=${encodeURIComponent(ingenicoMac)}`, seal({ reference: hosted, returnMac: ingenicoMac })), 200);
  assert.deepEqual([viaHosted.trusted, viaHosted.ids.hostedCheckoutId], [true, hosted]);
});

test("Ingenico: a cookie the customer wrote, broke, let expire, or brought from another payment is a 4xx, never a result", async () => {
  const query = `REF=${ingenicoRef}&RETURNMAC=${encodeURIComponent(ingenicoMac)}`;
  const valid = seal({ reference: ingenicoRef, returnMac: ingenicoMac });
  const [version, reference, returnMac, expiresAt] = valid.split(".");
  const later = String(Number(expiresAt) + 86400);
  for (const [what, q, cookie, status, code] of [
    ["no cookie", query, undefined, 400, "missing_field"],
    ["the RETURNMAC itself, as the customer can set it", query, encodeURIComponent(ingenicoMac), 400, "invalid_field"],
    ["the RETURNMAC, unencoded", query, ingenicoMac, 400, "invalid_field"],
    ["bad percent-encoding", query, "%E0%A4%A", 400, "invalid_field"],
    ["not base64url", query, `v1.${reference}.${returnMac}.${expiresAt}.not*base64`, 400, "invalid_field"],
    ["a MAC of impossible base64 length", query, `v1.${reference}.${returnMac}.${expiresAt}.A`, 400, "invalid_field"],
    ["four parts", query, valid.split(".").slice(0, 4).join("."), 400, "invalid_field"],
    ["six parts", query, `${valid}.x`, 400, "invalid_field"],
    ["another version", query, valid.replace(/^v1/, "v2"), 400, "invalid_field"],
    ["an expiry that is not a number", query, valid.replace(`.${expiresAt}.`, ".soon."), 400, "invalid_field"],
    ["expired", query, seal({ reference: ingenicoRef, returnMac: ingenicoMac, expiresAt: Math.floor(Date.now() / 1000) - 1 }), 400, "invalid_field"],
    ["its expiry moved later", query, [version, reference, returnMac, later, valid.split(".")[4]].join("."), 403, "integrity_failed"],
    ["sealed with another key", query, seal({ reference: ingenicoRef, returnMac: ingenicoMac }, "a-key-that-is-not-this-merchants-secret-0123456789"), 403, "integrity_failed"],
    ["sealed for another payment", query, seal({ reference: "000000000100000000010000100002", returnMac: ingenicoMac }), 400, "invalid_field"],
    ["another payment's REF beside the sealed hostedCheckoutId", `${query}&hostedCheckoutId=hc-1`, seal({ reference: "hc-1", returnMac: ingenicoMac }), 400, "invalid_field"],
    ["a return with no reference", `RETURNMAC=${encodeURIComponent(ingenicoMac)}`, valid, 400, "missing_field"],
  ]) {
    const response = await ingenicoReturn(q, cookie);
    const body = await response.json();
    assert.equal(response.status, status, `${what}: ${JSON.stringify(body)}`);
    assert.equal(body.code, code, what);
    assert.equal(body.trusted, undefined, what);
    assert.equal(body.outcome, undefined, what);
  }
});

test("Ingenico: the worker's sealIngenicoReturn seals exactly as the format says", async () => {
  const fields = { reference: ingenicoRef, returnMac: ingenicoMac, expiresAt: 1900000000 };
  const response = await fetch(`${probe.origin}/__seal`, { method: "POST", body: JSON.stringify({ fields, secret: env.INGENICO_COOKIE_SECRET }) });
  assert.equal(await response.text(), seal(fields));
});

test("Shift4: the seed's j parameter, URL-encoded base64 JSON", async () => {
  const body = await json(await fetch(`${workerd.origin}/return/shift4?j=${fixtures.shift4.j}`), 200);
  assert.deepEqual([body.outcome, body.trusted, body.eci, body.authenticationValue, body.ids.trxId], ["authenticated", false, "05", "Qm181okmdyqh6yQmYuq1890QAAA=", "2bf0e02b-ffb2-4388-9d4c-c2640cc10b9b"]);
  const broken = await json(await fetch(`${workerd.origin}/return/shift4?j=not*base64`), 400);
  assert.equal(broken.code, "invalid_base64");
});

test("Acquired.com: the seed's worked hash verifies; a changed status does not", async () => {
  const body = await json(await postForm("/return/acquired", fixtures.acquired.redirect), 200);
  assert.deepEqual([body.outcome, body.trusted, body.verifyWithServer, body.ids.transactionId], ["authenticated", true, false, "1970f4e1-95da-4859-b275-e9ac83f05eb1"]);
  const failed = { status: "tds_failed", transaction_id: "a7e3fde5-5b83-44f4-9915-782bc7121717", order_id: "o-1", timestamp: "1700000000", reason: "low_confidence" };
  const hash = sha256(sha256(failed.status + failed.transaction_id + failed.order_id + failed.timestamp) + env.ACQUIRED_APP_KEY);
  const declined = await json(await postForm("/return/acquired", { ...failed, hash }), 200);
  assert.deepEqual([declined.outcome, declined.trusted, declined.reason], ["not_authenticated", true, "low_confidence"]);
  const tampered = await json(await postForm("/return/acquired", { ...fixtures.acquired.redirect, status: "success" }), 403);
  assert.equal(tampered.code, "integrity_failed");
});

test("Acquired.com: with maxAgeSeconds, an authentic but replayed return is refused", async () => {
  const fresh = { status: "success", transaction_id: "b1e3fde5-5b83-44f4-9915-782bc7121717", order_id: "o-2", timestamp: String(Math.floor(Date.now() / 1000) - 30) };
  const sign = (f) => ({ ...f, hash: sha256(sha256(f.status + f.transaction_id + f.order_id + f.timestamp) + env.ACQUIRED_APP_KEY) });
  assert.equal((await json(await postForm("/return/acquired-fresh", sign(fresh)), 200)).trusted, true);
  // The seed's own example dates from 2022: authentic, and far too old.
  const stale = await json(await postForm("/return/acquired-fresh", fixtures.acquired.redirect), 400);
  assert.equal(stale.code, "invalid_field");
  assert.match(stale.message, /timestamp/);
});

test("plain EMV: a padded cres with session data; an Erro; an empty POST", async () => {
  const cres = { threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", acsTransID: "d7c1ee99-9478-44a6-b1f2-391e29c6b340", messageType: "Cres", messageVersion: "2.2.0", transStatus: "N", challengeCompletionInd: "Y" };
  const body = await json(await postForm("/return/emv", { cres: Buffer.from(JSON.stringify(cres)).toString("base64"), threeDSSessionData: "b3JkZXI" }), 200);
  assert.deepEqual([body.outcome, body.transStatus, body.trusted, body.verifyWithServer, body.ids.threeDSSessionData], ["not_authenticated", "N", false, true, "b3JkZXI"]);
  const erro = { messageType: "Erro", errorCode: "402", errorComponent: "A", errorDescription: "Timed out" };
  assert.equal((await json(await postForm("/return/emv", { cres: Buffer.from(JSON.stringify(erro)).toString("base64") }), 200)).outcome, "error");
  assert.equal((await json(await postForm("/return/emv", ""), 200)).reason, "empty_result: the ACS posted nothing");
});

test("malformed bodies: 400 with a typed error naming the field", async () => {
  for (const [path, body, code, field] of [
    ["/return/emv", "cres=%%%", "invalid_base64", "cres"],
    ["/return/emv", `cres=${Buffer.from("[1]").toString("base64")}`, "invalid_json", "cres"],
    ["/return/acquired", "status=success", "missing_field", "transaction_id"],
    ["/return/acquired", "status=teleported&transaction_id=x", "unknown_status", "status"],
    ["/return/komoju", "order=1", "missing_field", "secure_token_id"],
    ["/3ds/notify", "cres=", null, null],
  ]) {
    const response = await postForm(path, body);
    if (code === null) {
      assert.equal(response.status, 200);
      continue;
    }
    const error = await json(response, 400);
    assert.equal(error.code, code, `${path} ${body}`);
    assert.match(error.message, new RegExp(field));
  }
  const json400 = await json(await fetch(`${workerd.origin}/return/emv`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), 400);
  assert.equal(json400.code, "invalid_field");
  assert.equal((await json(await fetch(`${workerd.origin}/return/paypal`), 404)).code, "unknown_provider");
});

test("oversized bodies are refused with 413", async () => {
  const big = `cres=${"A".repeat(300 * 1024)}`;
  assert.equal((await json(await postForm("/return/emv", big), 413)).code, "too_large");
  assert.equal((await json(await postForm("/3ds/notify", big), 413)).code, "too_large");
});

/** A body sent in 16 KiB chunks with no Content-Length; `stall` leaves it open after the last byte. */
function streamed(bytes, { stall = false } = {}) {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent === bytes.length) return stall ? new Promise(() => {}) : controller.close();
      const chunk = bytes.subarray(sent, sent + 16 * 1024);
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

test("the cap is 256 KiB of bytes, with or without Content-Length: at the cap read, one byte over 413", async () => {
  // An Acquired webhook padded with whitespace (which its HMAC ignores) to an exact size.
  const event = '{"id":"wh-2","event":"status_update","data":{"status":"success"}}';
  const hash = createHmac("sha256", env.ACQUIRED_APP_KEY).update(event).digest("hex");
  const padded = (size) => Buffer.from(event + " ".repeat(size - event.length));
  const send = (body, streaming) =>
    fetch(`${workerd.origin}/webhooks/acquired`, { method: "POST", headers: { hash }, body: streaming ? streamed(body) : body, ...(streaming ? { duplex: "half" } : {}) });
  for (const streaming of [false, true]) {
    assert.equal((await send(padded(MAX_BODY), streaming)).status, 204, `at the cap, streamed: ${streaming}`);
    const over = await send(padded(MAX_BODY + 1), streaming);
    assert.equal(over.status, 413, `one byte over, streamed: ${streaming}`);
    assert.equal((await over.json()).code, "too_large");
  }
  // Under the cap in characters, over it in bytes: the cap counts bytes.
  const wide = Buffer.from(event.replace("wh-2", "é".repeat(MAX_BODY / 2)));
  assert.equal((await send(wide, true)).status, 413);
});

test("a streamed body is refused with 413 as soon as it passes the cap, before it ends", async () => {
  for (const path of ["/return/emv", "/3ds/notify", "/webhooks/veritrans"]) {
    const abort = new AbortController();
    const body = streamed(Buffer.from(`cres=${"A".repeat(MAX_BODY)}`), { stall: true });
    const answer = fetch(`${workerd.origin}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body, duplex: "half", signal: abort.signal });
    const timer = new Promise((resolve) => setTimeout(resolve, 5000, "no answer while the body was still open"));
    const response = await Promise.race([answer, timer]);
    assert.notEqual(typeof response, "string", `${path}: ${response}`);
    assert.equal(response.status, 413, path);
    assert.equal((await response.json()).code, "too_large", path);
    abort.abort();
  }
});

test("webhooks: Acquired HMAC over the body without whitespace; VeriTrans push in both forms", async () => {
  const event = '{ "id": "wh-1",\n  "event": "status_update", "data": { "status": "success" } }';
  const hash = createHmac("sha256", env.ACQUIRED_APP_KEY).update(event.replace(/\s/g, "")).digest("hex");
  assert.equal((await fetch(`${workerd.origin}/webhooks/acquired`, { method: "POST", headers: { hash }, body: event })).status, 204);
  assert.equal((await fetch(`${workerd.origin}/webhooks/acquired`, { method: "POST", headers: { hash }, body: event.replace("success", "declined") })).status, 403);

  const push = "numberOfNotify=1&pushTime=20251122120000&pushId=00000080&orderId0000=TESTC001&vResultCode0000=G012A00100000000&txnType0000=Verify&mpiMstatus0000=success&cardMstatus0000=success&dummy0000=1";
  const mac = createHmac("sha256", Buffer.from(env.VERITRANS_PUSH_SECRET, "hex")).update(push).digest("hex");
  const send = (body, header) => fetch(`${workerd.origin}/webhooks/veritrans`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-hmac": header }, body });
  assert.equal((await send(push, `h=HmacSHA256;s=${env.VERITRANS_MERCHANT_CC_ID};v=${mac}`)).status, 204);
  assert.equal((await send(push.replace("G012", "G011"), `h=HmacSHA256;s=${env.VERITRANS_MERCHANT_CC_ID};v=${mac}`)).status, 403);
  assert.equal((await send(push, sha256(push + env.VERITRANS_PUSH_SECRET))).status, 204);
});

test("browser-info: the Accept header and IP only the edge sees", async () => {
  const body = await json(await fetch(`${workerd.origin}/browser-info`, { headers: { accept: "text/html,application/xhtml+xml", "cf-connecting-ip": "203.0.113.9" } }), 200);
  assert.deepEqual(body, { browserAcceptHeader: "text/html,application/xhtml+xml", browserIP: "203.0.113.9" });
});

test("a missing or empty key is a 500 that names nothing, logged by name only, never an unsigned result", async () => {
  const sha = (f) => sha256(sha256(f.status + f.transaction_id + f.order_id + f.timestamp));
  // Returns as an attacker would send them with the key missing: signed with an empty key, or not at all.
  const acquired = { status: "success", transaction_id: "t-3", order_id: "o-3", timestamp: String(Math.floor(Date.now() / 1000)) };
  const emptyKeyHash = sha256(sha(acquired));
  const event = '{"id":"wh-3","event":"status_update","data":{"status":"success"}}';
  const formInit = (fields) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
  const veritrans = { RequestId: "req-2", OrderId: "order-2", mpiMstatus: "success", vResultCode: "G011A00100000000", cardMstatus: "success" };
  for (const [path, init, missing] of [
    ["/3ds/notify", formInit({ threeDSMethodData: Buffer.from('{"threeDSServerTransID":"cc78c193-eaec-494f-9cf0-eb5fa3940b13"}').toString("base64") }), "MERCHANT_ORIGIN"],
    ["/return/acquired", formInit({ ...acquired, hash: emptyKeyHash }), "ACQUIRED_APP_KEY"],
    ["/return/acquired", formInit(acquired), "ACQUIRED_APP_KEY"],
    ["/return/acquired-fresh", formInit({ ...acquired, hash: emptyKeyHash }), "ACQUIRED_APP_KEY"],
    ["/webhooks/acquired", { method: "POST", headers: { hash: createHmac("sha256", "").update(event).digest("hex") }, body: event }, "ACQUIRED_APP_KEY"],
    ["/return/veritrans", formInit(veritrans), "VERITRANS_MERCHANT_PASSWORD"],
    ["/webhooks/veritrans", formInit({ numberOfNotify: "1" }), "VERITRANS_PUSH_SECRET"],
    [`/return/ingenico?REF=${ingenicoRef}&RETURNMAC=${encodeURIComponent(ingenicoMac)}`, { headers: { cookie: `ingenico_return=${seal({ reference: ingenicoRef, returnMac: ingenicoMac })}` } }, "INGENICO_COOKIE_SECRET"],
  ]) {
    const { status, body, logged } = await probed(path, init);
    assert.equal(status, 500, `${path}: ${body}`);
    assert.equal(JSON.parse(body).code, "server_misconfigured", path);
    for (const secretish of [...Object.keys(env), "APP_KEY", "SECRET", "PASSWORD", env.VERITRANS_MERCHANT_CC_ID, "outcome", "trusted"]) {
      assert.ok(!body.includes(secretish), `${path}: the body mentions ${secretish}: ${body}`);
    }
    assert.ok(logged.some((line) => line.includes(missing)), `${path}: the log names ${missing}: ${JSON.stringify(logged)}`);
    assert.ok(logged.every((line) => !line.includes(env.VERITRANS_MERCHANT_CC_ID)), `${path}: the log holds a value: ${JSON.stringify(logged)}`);
  }
});

test("a malformed key or origin in the environment is a 500 that names nothing, not the customer's 4xx", async () => {
  const body = `numberOfNotify=1&pushId=00000001`;
  for (const [path, init, variable] of [
    ["/3ds/notify", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "threeDSMethodData=e30" }, "MERCHANT_ORIGIN"],
    ["/webhooks/veritrans", { method: "POST", headers: { "content-hmac": `h=HmacSHA256;s=A1;v=${"0".repeat(64)}` }, body }, "VERITRANS_PUSH_SECRET"],
    ["/webhooks/veritrans", { method: "POST", headers: { "content-hmac": "0".repeat(64) }, body }, "VERITRANS_PUSH_SECRET"],
  ]) {
    const seen = await probed(path, init, malformed);
    assert.equal(seen.status, 500, `${path}: ${seen.body}`);
    assert.equal(JSON.parse(seen.body).code, "server_misconfigured", path);
    assert.ok(!seen.body.includes(variable) && !seen.body.includes("checkout") && !seen.body.includes("not hex"), seen.body);
    assert.ok(seen.logged.some((line) => line.includes(variable)), `${path}: the log names ${variable}: ${JSON.stringify(seen.logged)}`);
  }
});

test("each return route reads only its own provider's keys; unsigned providers read none", async () => {
  const cres = Buffer.from(JSON.stringify({ messageType: "Erro", errorCode: "402", errorComponent: "A", errorDescription: "Timed out" })).toString("base64");
  for (const [path, init, keys, status] of [
    ["/return/komoju?secure_token_id=tok_1", {}, [], 200],
    // An Ingenico cookie the customer broke is not even read outside Ingenico's route.
    ["/return/komoju?secure_token_id=tok_1", { headers: { cookie: "ingenico_returnmac=%E0%A4%A; ingenico_return=%E0%A4%A" } }, [], 200],
    [`/return/shift4?j=${fixtures.shift4.j}`, {}, [], 200],
    ["/return/emv", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `cres=${cres}` }, [], 200],
    ["/return/acquired", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form(fixtures.acquired.redirect) }, ["ACQUIRED_APP_KEY"], 500],
    ["/return/veritrans", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "RequestId=r" }, ["VERITRANS_MERCHANT_CC_ID", "VERITRANS_MERCHANT_PASSWORD"], 500],
    [`/return/ingenico?REF=${ingenicoRef}`, {}, ["INGENICO_COOKIE_SECRET"], 500],
  ]) {
    const { status: got, body, read } = await probed(path, init);
    assert.equal(got, status, `${path}: ${body}`);
    assert.deepEqual(read, keys, path);
  }
});

test("an unexpected error is a 500 with a generic body, and logged", async () => {
  const { status, body, logged } = await probed("/return/acquired", { method: "POST", headers: { "x-probe-throw": "ACQUIRED_APP_KEY" }, body: "" });
  assert.equal(status, 500);
  assert.deepEqual(JSON.parse(body), { code: "internal", message: "unexpected error" });
  assert.ok(logged.some((line) => line.includes("probe: reading ACQUIRED_APP_KEY failed")), JSON.stringify(logged));
});
