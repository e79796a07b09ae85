// The attack catalogue: what a customer holding one genuine return can send to make a forged return come out
// as a success, each refused with a typed error. Run with the package catalogue in Node, Chromium and
// workerd (cases.mjs). Signatures are computed here with WebCrypto, independently of the package. Each
// forgery first shows that it is real (the signed string is unchanged, or the signature still matches),
// so that a refusal proves the check and not a broken fixture.
import { equal, fail, postedBy, rejectsThreeDs, standardBase64, throwsThreeDs } from "./assertions.mjs";

const FORM = "application/x-www-form-urlencoded";
/** A Request-like POST of a return: method, url, headers and text(), what parseReturnRequest reads of a Request. */
const requestLike = (text, headers = { "content-type": FORM }) => ({ method: "POST", url: "https://shop.example/return", headers: new Headers(headers), text });
const post = (fields, url = "/return") => ({
  method: "POST",
  url,
  body: typeof fields === "string" ? fields : new URLSearchParams(fields).toString(),
  contentType: FORM,
});

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function hmacHex(keyBytes, text) {
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
const hexBytes = (hex) => new Uint8Array(hex.match(/../g).map((pair) => parseInt(pair, 16)));

// Acquired.com: hash = SHA-256(hex(SHA-256(status . transaction_id . order_id . timestamp)) . app_key).
const acquiredSigned = (r) => r.status + r.transaction_id + r.order_id + r.timestamp;
const acquiredHash = async (r, key) => sha256Hex((await sha256Hex(acquiredSigned(r))) + key);

// VeriTrans4G: vAuthInfo = hex(SHA-256(merchantCcId + the values authParams names + merchantPassword)).
const CC_ID = "A100000000000001";
const PASSWORD = "merchant-password";
const VERITRANS_KEYS = { veritransMerchantCcId: CC_ID, veritransMerchantPassword: PASSWORD };
async function veritransSigned(fields, names = Object.keys(fields)) {
  const vAuthInfo = await sha256Hex(CC_ID + names.map((n) => fields[n] ?? "").join("") + PASSWORD);
  return { ...fields, authParams: standardBase64(names.join(",")), vAuthInfo };
}
/** A genuine failed authentication, as VeriTrans signs it. */
const veritransFailure = () =>
  veritransSigned({ RequestId: "req-20261122-0001", OrderId: "order-1", mpiMstatus: "failure", vResultCode: "GE11000000000000", cardMstatus: "failure" });

function notSuccess(parse, what) {
  let result;
  try {
    result = parse();
  } catch (e) {
    if (e?.name !== "ThreeDsError") fail(`${what}: threw ${e}`);
    return;
  }
  if (result.trusted || ["authenticated", "attempted"].includes(result.outcome)) {
    fail(`${what}: came out ${result.outcome}, trusted ${result.trusted}`);
  }
}

export const attacks = [
  ["attack: Acquired.com fields slid across the unseparated hash are refused before hashing", async (lib, fx) => {
    const genuine = fx.acquired.redirect;
    const keys = { acquiredAppKey: fx.acquired.appKey };
    equal(lib.parseReturn(post(genuine), { keys }).trusted, true, "the genuine return");
    const forgeries = [
      // The order_id takes the first digit of the timestamp: the timestamp is then nine digits.
      [{ ...genuine, order_id: "your_unique_reference_11", timestamp: "657183950" }, "timestamp", "invalid_field"],
      // The transaction_id swallows the front of the order_id.
      [{ ...genuine, transaction_id: `${genuine.transaction_id}your`, order_id: "_unique_reference_1" }, "transaction_id", "invalid_field"],
      // The timestamp takes the last character of the order_id: eleven digits, in the far future.
      [{ ...genuine, order_id: "your_unique_reference_", timestamp: "11657183950" }, "timestamp", "invalid_field"],
      // The status gives its last letter to the transaction_id.
      [{ ...genuine, status: "execute", transaction_id: `d${genuine.transaction_id}` }, "status", "unknown_status"],
    ];
    for (const [forged, field, code] of forgeries) {
      equal(acquiredSigned(forged), acquiredSigned(genuine), `the forgery keeps the signed string (${field})`);
      throwsThreeDs(() => lib.parseReturn(post(forged), { keys }), code, field, `parseReturn, ${field} slid`);
      throwsThreeDs(() => lib.verifyAcquiredRedirect(forged, keys.acquiredAppKey), code, field, `verifyAcquiredRedirect, ${field} slid`);
    }
    // A status in another case is not Acquired's: refused before the hash.
    throwsThreeDs(() => lib.parseReturn(post({ ...genuine, status: "Executed" }), { keys }), "unknown_status", "status", "status case");
  }],
  ["attack: Acquired.com timestamp with a leading zero, and replays, fail maxAgeSeconds", async (lib, fx) => {
    const key = fx.acquired.appKey;
    const now = String(Math.floor(Date.now() / 1000));
    const genuine = { status: "success", transaction_id: "a7e3fde5-5b83-44f4-9915-782bc7121717", order_id: "order-10", timestamp: now };
    const signed = { ...genuine, hash: await acquiredHash(genuine, key) };
    const fresh = lib.parseReturn(post(signed), { keys: { acquiredAppKey: key }, maxAgeSeconds: 600, expectedOrderId: "order-10" });
    equal([fresh.outcome, fresh.trusted, fresh.verifyWithServer], ["authenticated", true, false], "a fresh signed return");
    // "order-1" + "0<now>": the same signed string, a timestamp that parses to the same fresh time.
    const forged = { ...signed, order_id: "order-1", timestamp: `0${now}` };
    equal(acquiredSigned(forged), acquiredSigned(signed), "the forgery keeps the signed string");
    throwsThreeDs(() => lib.parseReturn(post(forged), { keys: { acquiredAppKey: key }, maxAgeSeconds: 600 }), "invalid_field", "timestamp", "leading zero");
    // The seed's genuine return is from 2022: authentic, and stale.
    throwsThreeDs(() => lib.parseReturn(post(fx.acquired.redirect), { keys: { acquiredAppKey: key }, maxAgeSeconds: 600 }), "invalid_field", "timestamp", "replayed");
  }],
  ["attack: keys that differ only in case cannot pick what a case-blind lookup reads", (lib) => {
    // Found by the hostile review of the JSON module: provider fields are matched case-insensitively, so
    // "TRANSACTION" and "Transaction" would be read as whichever came first while JSON.parse sees neither.
    const j = standardBase64(JSON.stringify({ result: [{ TRANSACTION: { responseCode: "A" }, Transaction: { responseCode: "D" } }] }));
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: `/done?j=${encodeURIComponent(j)}` }, { provider: "shift4" }), "invalid_json", "in different cases", "a Shift4 j with two spellings of one key");
    throwsThreeDs(() => lib.nextAction("komoju", { verification_status: "OK", VERIFICATION_STATUS: "NEEDS_VERIFY" }), "invalid_json", "verification_status", "a response with two spellings of one key");
  }],
  ["attack: an oversized post to a notification URL is an error page, never a throw or a copy into wasm", (lib) => {
    // Found by the hostile review: a body over the JSON-crossing cap used to throw (and was copied whole into
    // wasm memory first). It is what the ACS, or anyone, posted: the page posts the error so the flow ends.
    const { result, html } = lib.respondToNotification({ body: `cres=${"A".repeat(3 * 1024 * 1024)}`, contentType: "application/x-www-form-urlencoded" }, { targetOrigin: "https://shop.example" });
    equal([result.type, result.code], ["error", "too_large"], "the result");
    equal(postedBy(html).message.result, result, "the page posts the error");
    throwsThreeDs(() => lib.decodeCres("A".repeat(3 * 1024 * 1024)), "too_large", "cres", "a 3 MiB cres");
  }],
  ["attack: a __proto__ key passes through the notification page as data", (lib) => {
    // Found by the hostile review: the page used to embed the result as an object literal, where "__proto__"
    // sets the prototype instead of a member, so postMessage dropped it.
    const cres = standardBase64(JSON.stringify({ threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", acsTransID: "d7c1ee99-9478-44a6-b1f2-391e29c6b340", messageType: "CRes", messageVersion: "2.2.0", transStatus: "Y", challengeCompletionInd: "Y", messageExtension: [{ name: "x", id: "y", criticalityIndicator: false, data: { ["__proto__"]: { secret: "v" }, keep: 1 } }] }));
    const { result, html } = lib.respondToNotification({ body: `cres=${encodeURIComponent(cres)}`, contentType: "application/x-www-form-urlencoded" }, { targetOrigin: "https://shop.example" });
    const script = html.split("<script>")[1].split("</script>")[0];
    // The page hands a string to JSON.parse, which makes "__proto__" an own member.
    const literal = /^window\.parent\.postMessage\(JSON\.parse\(("(?:[^"\\]|\\.)*")\), "https:\/\/shop\.example"\);$/.exec(script)?.[1];
    if (!literal) fail(`the page's script is not one JSON.parse of a string literal: ${script.slice(0, 120)}`);
    const check = (posted, how) => {
      equal(JSON.stringify(posted.result), JSON.stringify(result), `${how}: the posted result is the result, __proto__ member included`);
      equal(Object.keys(posted.result.message.messageExtension[0].data), ["__proto__", "keep"], `${how}: the member is data`);
    };
    check(JSON.parse(JSON.parse(literal)), "the literal read as JSON");
    // Where the engine allows code from strings (not workerd), the script itself, run.
    let run;
    try {
      run = new Function("window", script);
    } catch {
      run = null;
    }
    if (run) {
      let posted;
      run({ parent: { postMessage: (message) => (posted = message) } });
      check(posted, "the script run");
    }
  }],
  ["attack: Acquired.com's unsigned reason cannot change the outcome of a signed return", async (lib, fx) => {
    const key = fx.acquired.appKey;
    const failed = { status: "tds_failed", transaction_id: "a7e3fde5-5b83-44f4-9915-782bc7121717", order_id: "order-7", timestamp: "1763800000" };
    const signed = { ...failed, hash: await acquiredHash(failed, key), reason: "low_confidence" };
    for (const reason of ["low_confidence", "card_not_enrolled", "challenge_time_out"]) {
      const result = lib.parseReturn(post({ ...signed, reason }), { keys: { acquiredAppKey: key } });
      equal([result.trusted, result.outcome], [true, "not_authenticated"], `reason ${reason}`);
    }
  }],
  ["attack: expectedOrderId binds a return to its order", async (lib, fx) => {
    const keys = { acquiredAppKey: fx.acquired.appKey };
    equal(lib.parseReturn(post(fx.acquired.redirect), { keys, expectedOrderId: "your_unique_reference_1" }).trusted, true, "its own order");
    throwsThreeDs(() => lib.parseReturn(post(fx.acquired.redirect), { keys, expectedOrderId: "order-2" }), "invalid_field", "order_id", "another order (Acquired)");
    // VeriTrans: RequestId and OrderId are both free text next to each other in the signed string.
    const genuine = await veritransFailure();
    const shifted = { ...genuine, RequestId: `${genuine.RequestId}or`, OrderId: "der-1" };
    const unbound = lib.parseReturn(post(shifted), { keys: VERITRANS_KEYS });
    equal([unbound.trusted, unbound.ids.orderId], [true, "der-1"], "without expectedOrderId the boundary can move (README: Security model)");
    throwsThreeDs(() => lib.parseReturn(post(shifted), { keys: VERITRANS_KEYS, expectedOrderId: "order-1" }), "invalid_field", "OrderId", "another order (VeriTrans)");
    equal(lib.parseReturn(post(genuine), { keys: VERITRANS_KEYS, expectedOrderId: "order-1" }).outcome, "not_authenticated", "its own order (VeriTrans)");
    // Shift4's j carries the invoice.
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: `/done?j=${fx.shift4.j}` }, { provider: "shift4", expectedOrderId: "9999" }), "invalid_field", "invoice", "another invoice (Shift4)");
    equal(lib.parseReturn({ method: "GET", url: `/done?j=${fx.shift4.j}` }, { provider: "shift4", expectedOrderId: "1625" }).ids.invoice, "1625", "its own invoice");
    // A provider whose return names no order cannot be bound: saying so beats a check that never runs.
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: "/r?secure_token_id=tok_1" }, { expectedOrderId: "order-1" }), "invalid_field", "expectedOrderId", "komoju");
    throwsThreeDs(() => lib.parseReturn(post(fx.acquired.redirect), { keys, expectedOrderID: "order-2" }), "invalid_field", "expectedOrderID", "a misspelled option");
  }],
  ["attack: VeriTrans4G authParams that leaves the result unsigned", async (lib) => {
    const genuine = await veritransFailure();
    equal(lib.parseReturn(post(genuine), { keys: VERITRANS_KEYS }).outcome, "not_authenticated", "the genuine return");
    const concatenation = genuine.RequestId + genuine.OrderId + genuine.mpiMstatus + genuine.vResultCode + genuine.cardMstatus;
    const success = { mpiMstatus: "success", vResultCode: "G011A00100000000" };
    // One unsigned-by-name field carries the whole genuine signed string; the result fields are rewritten.
    const carrier = { ...genuine, ...success, Carrier: concatenation, authParams: standardBase64("Carrier"), cardMstatus: "success" };
    // The result fields left out of authParams, their signed bytes moved into a field nobody reads.
    const leftOut = { ...genuine, ...success, Rest: "failureGE11000000000000failure", authParams: standardBase64("RequestId,OrderId,Rest") };
    for (const [forged, field, what] of [[carrier, "RequestId", "one carrier field"], [leftOut, "mpiMstatus", "result fields left out"]]) {
      throwsThreeDs(() => lib.parseReturn(post(forged), { keys: VERITRANS_KEYS }), "integrity_failed", field, `parseReturn: ${what}`);
      throwsThreeDs(() => lib.verifyVeritransRedirect(forged, CC_ID, PASSWORD), "integrity_failed", "not among the fields authParams signs", `verifyVeritransRedirect: ${what}`);
    }
  }],
  ["attack: VeriTrans4G fields slid, named twice, or out of format", async (lib) => {
    const genuine = await veritransFailure();
    const refuse = (forged, code, field, what) => throwsThreeDs(() => lib.parseReturn(post(forged), { keys: VERITRANS_KEYS }), code, field, what);
    // VeriTrans's signature leaves every boundary between values unsigned, so a customer can cut their own signed
    // return so that OrderId reads as another of their orders (hostile reviews, 2026-11-23: "ORDER-12" as
    // "ORDER-1" with x = "2"; any substring of the signed values, where a real return signs a dozen free-text
    // fields). What the cut can carry is a refusal: a success, moved or not, is never final.
    const signedString = (fields) => atob(fields.authParams.replace(/\*/g, "=")).split(",").map((n) => fields[n]).join("");
    const order12 = await veritransSigned({ RequestId: "req-9", OrderId: "ORDER-12", mpiMstatus: "success", vResultCode: "G011A00100000000" });
    const shifted = { RequestId: "req-9", OrderId: "ORDER-1", x: "2", mpiMstatus: "success", vResultCode: "G011A00100000000" };
    const cut = { ...shifted, authParams: standardBase64(Object.keys(shifted).join(",")), vAuthInfo: order12.vAuthInfo };
    equal(signedString(cut), signedString(order12), "the cut: the signed string unchanged");
    const moved = lib.parseReturn(post(cut), { keys: VERITRANS_KEYS, expectedOrderId: "ORDER-1" });
    equal([moved.outcome, moved.trusted, moved.verifyWithServer, moved.ids.orderId], ["authenticated", true, true, "ORDER-1"], "a cut success is never final");
    // VeriTrans's MDK pads authParams with '*': a genuine return written so verifies (third review).
    const mdkPadded = { ...order12, authParams: order12.authParams.replace(/=/g, "*") };
    equal(order12.authParams.includes("="), true, "the genuine list is padded");
    equal(lib.verifyVeritransRedirect(mdkPadded, CC_ID, PASSWORD), true, "authParams padded with '*'");
    // vResultCode gives its last character to cardMstatus: fifteen characters.
    refuse({ ...genuine, vResultCode: "GE1100000000000", cardMstatus: "0failure" }, "invalid_field", "vResultCode", "vResultCode slid");
    // mpiMstatus takes the front of vResultCode.
    refuse({ ...genuine, mpiMstatus: "failureG", vResultCode: "E11000000000000" }, "invalid_field", "mpiMstatus", "mpiMstatus slid");
    refuse({ ...genuine, authParams: standardBase64("RequestId,RequestId,OrderId,mpiMstatus,vResultCode,cardMstatus") }, "invalid_field", "authParams", "a name twice");
    refuse({ ...genuine, authParams: standardBase64("RequestId,OrderId,mpiMstatus,vResultCode,vAuthInfo") }, "invalid_field", "authParams", "vAuthInfo signing itself");
    refuse({ ...genuine, authParams: standardBase64(Array.from({ length: 65 }, (_, i) => `f${i}`).join(",")) }, "invalid_field", "authParams", "65 names");
    refuse({ ...genuine, vAuthInfo: "" }, "integrity_failed", "vAuthInfo", "no signature");
    refuse({ ...genuine, vAuthInfo: genuine.vAuthInfo.slice(2) }, "invalid_field", "vAuthInfo", "a short signature");
  }],
  ["attack: a field sent twice is refused, never read as two different values", async (lib, fx) => {
    const keys = { acquiredAppKey: fx.acquired.appKey };
    const body = new URLSearchParams(fx.acquired.redirect).toString();
    throwsThreeDs(() => lib.parseReturn(post(`${body}&status=success`), { keys }), "invalid_field", "status", "twice in the body");
    throwsThreeDs(() => lib.parseReturn(post(body, "/return?status=success"), { keys }), "invalid_field", "status", "in the query and the body");
    throwsThreeDs(() => lib.verifyAcquiredRedirect(`${body}&order_id=x`, keys.acquiredAppKey), "invalid_field", "order_id", "verifyAcquiredRedirect");
    const genuine = await veritransFailure();
    throwsThreeDs(() => lib.parseReturn(post(`${new URLSearchParams(genuine)}&vResultCode=G011A00100000000`), { keys: VERITRANS_KEYS }), "invalid_field", "vResultCode", "VeriTrans");
    const cres = encodeURIComponent(standardBase64(JSON.stringify({ threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", acsTransID: "d7c1ee99-9478-44a6-b1f2-391e29c6b340", messageType: "CRes", messageVersion: "2.2.0", transStatus: "Y", challengeCompletionInd: "Y" })));
    const failed = encodeURIComponent(standardBase64(JSON.stringify({ threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", acsTransID: "d7c1ee99-9478-44a6-b1f2-391e29c6b340", messageType: "CRes", messageVersion: "2.2.0", transStatus: "N", challengeCompletionInd: "Y" })));
    throwsThreeDs(() => lib.parseReturn(post(`cres=${failed}&cres=${cres}`)), "invalid_field", "cres", "cres twice");
    const twice = encodeURIComponent(standardBase64('{"threeDSServerTransID":"8a880dc0-d2d2-4067-bcb1-b08d1690b26e","acsTransID":"d7c1ee99-9478-44a6-b1f2-391e29c6b340","messageType":"CRes","messageVersion":"2.2.0","transStatus":"N","transStatus":"Y","challengeCompletionInd":"Y"}'));
    throwsThreeDs(() => lib.parseReturn(post(`cres=${twice}`)), "invalid_json", "transStatus", "a JSON key written twice");
    throwsThreeDs(() => lib.parseReturn(post(`cres=${failed}`, `/n?cres=${cres}`)), "invalid_field", "cres", "cres in the query and the body");
    // The notification page tells the merchant page it could not read the post, and never picks a copy.
    const page = lib.respondToNotification({ body: `cres=${failed}&cres=${cres}`, contentType: FORM }, { targetOrigin: "https://shop.example" });
    const posted = postedBy(page.html).message.result;
    if (posted.type !== "error" || posted.code !== "invalid_field") fail(`notification page for a doubled cres: ${page.html}`);
  }],
  ["attack: keys fail closed: empty, incomplete, misspelled or foreign keys are errors, not unsigned results", async (lib, fx) => {
    const request = post(fx.acquired.redirect);
    const refuse = (options, field, what) => throwsThreeDs(() => lib.parseReturn(request, options), "invalid_keys", field, what);
    refuse({ keys: { acquiredAppKey: "" } }, "acquiredAppKey", "an empty key");
    refuse({ keys: { acquiredAppKey: undefined } }, "acquiredAppKey", "an unset secret (undefined)");
    refuse({ keys: { acquiredAppKey: null } }, "acquiredAppKey", "null");
    refuse({ keys: {} }, "keys", "no key at all");
    refuse({ keys: { acquiredAppkey: fx.acquired.appKey } }, "acquiredAppkey", "a misspelled key");
    refuse({ provider: "acquired", keys: { veritransMerchantCcId: CC_ID } }, "veritransMerchantPassword", "one VeriTrans key alone");
    refuse({ provider: "acquired", keys: { ...VERITRANS_KEYS } }, "veritransMerchantCcId", "another provider's keys");
    refuse({ provider: "shift4", keys: { acquiredAppKey: fx.acquired.appKey } }, "acquiredAppKey", "a key for a provider without a check");
    await rejectsThreeDs(lib.parseReturnRequest(new Request("https://shop.example/r", { method: "POST", body: request.body, headers: { "content-type": FORM } }), { keys: { acquiredAppKey: "" } }), "invalid_keys", "acquiredAppKey", "parseReturnRequest");
  }],
  ["attack: options are the object's own: a polluted Object.prototype adds none, and inherited options are refused", async (lib, fx) => {
    // A page or worker whose Object.prototype was polluted (by a vulnerable dependency) with keys of the
    // attacker's: a return the attacker signed with them must not come out trusted.
    const attackerKey = "attacker-key";
    const forged = { ...fx.acquired.redirect, status: "executed" };
    forged.hash = await acquiredHash(forged, attackerKey);
    equal(lib.parseReturn(post(forged), { keys: { acquiredAppKey: attackerKey } }).trusted, true, "the forgery, with the attacker's key given");
    const polluted = { keys: { acquiredAppKey: attackerKey }, provider: "acquired", expectedOrderId: "another-order" };
    for (const name of Object.keys(polluted)) Object.defineProperty(Object.prototype, name, { value: polluted[name], configurable: true, writable: true });
    let results;
    try {
      const request = new Request("https://shop.example/r", { method: "POST", body: post(forged).body, headers: { "content-type": FORM } });
      results = [lib.parseReturn(post(forged)), lib.parseReturn(post(forged), {}), await lib.parseReturnRequest(request)];
    } finally {
      for (const name of Object.keys(polluted)) delete Object.prototype[name];
    }
    for (const [i, result] of results.entries()) equal(result.trusted, false, `polluted Object.prototype, call ${i + 1}`);
    // Options that inherit from defaults would be read in part; they are refused, loudly.
    const keys = { acquiredAppKey: fx.acquired.appKey };
    throwsThreeDs(() => lib.parseReturn(post(fx.acquired.redirect), Object.create({ expectedOrderId: "another-order" }, { keys: { value: keys, enumerable: true } })), "invalid_field", "options", "options inheriting a check");
    throwsThreeDs(() => lib.parseReturn(post(fx.acquired.redirect), new (class Options { keys = keys; })()), "invalid_field", "options", "a class instance");
    throwsThreeDs(() => lib.parseReturn(post(fx.acquired.redirect), { keys: Object.create(keys) }), "invalid_keys", "keys", "keys inherited");
    const bare = Object.assign(Object.create(null), { keys: Object.assign(Object.create(null), keys) });
    equal(lib.parseReturn(post(fx.acquired.redirect), bare).trusted, true, "options made by Object.create(null)");
  }],
  ["attack: every function's options are the object's own: a polluted Object.prototype fills no omitted option", async (lib, fx) => {
    // The checkout functions and the notification responder read options as parseReturn does. Polluted, an
    // omitted option would otherwise be the attacker's: a method URL to post the device data to, a
    // notification URL whose origin the flow trusts, the origin a result page posts to, a CSP nonce.
    const id = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";
    // Data objects (a request, an input) lend nothing either: no body, no content type, no ECI, no IP.
    const dataCalls = {
      liabilityShift: () => lib.liabilityShift({ brand: "visa", cardType: "consumer", cavvPresent: false }),
      serverBrowserInfo: () => lib.serverBrowserInfo({ acceptHeader: "text/html" }),
      respondWithoutBody: () => lib.respondToNotification({}, { targetOrigin: "https://shop.example" }).result,
      parseReturnWithoutBody: () => lib.parseReturn({ url: "/return?session_id=abc" }, { provider: "komoju" }),
    };
    const dataResults = () => Object.fromEntries(Object.entries(dataCalls).map(([name, call]) => {
      try {
        return [name, call()];
      } catch (e) {
        return [name, `${e.name} ${e.code}`];
      }
    }));
    const unpolluted = dataResults();
    const polluted = {
      methodUrl: "https://attacker.example/method", notificationUrl: "https://attacker.example/n", mode: "redirect",
      targetOrigin: "https://attacker.example", nonce: "attacker", methodNotificationUrl: "https://attacker.example/m",
      challengeWindowSize: "05", timeoutMs: 1,
      eci: "05", authentication: "full", cavvPresent: true, ip: "203.0.113.9", method: "POST",
      body: "cres=eyJ4IjoxfQ", contentType: "application/x-www-form-urlencoded",
    };
    for (const name of Object.keys(polluted)) Object.defineProperty(Object.prototype, name, { value: polluted[name], configurable: true, writable: true });
    let method, challenge, responded, shift4, refused;
    try {
      // No method URL of its own: compInd U at once (with the polluted one it would post, or fail without a DOM).
      method = await lib.runMethod({ threeDSServerTransID: id, notificationUrl: "https://shop.example/n" });
      // No notification URL of its own: refused before anything is built, never the attacker's origin.
      challenge = await lib.runChallenge({ acsUrl: "https://acs.example/c", threeDSServerTransID: id, acsTransID: "d7c1ee99-9478-44a6-b1f2-391e29c6b340", messageVersion: "2.2.0", challengeWindowSize: "02" }).then(() => "resolved", (e) => [e.code, e.message]);
      refused = [() => lib.respondToNotification({ body: "" }, {}), () => lib.notifyParent({ type: "empty" }, {})].map((f) => {
        try {
          return f();
        } catch (e) {
          return [e.code, e.message];
        }
      });
      responded = lib.respondToNotification({ body: "" }, { targetOrigin: "https://shop.example" }).html;
      shift4 = lib.nextAction("shift4", fx.shift4.fingerprint, { methodNotificationUrl: "https://shop.example/3ds/method" });
      equal(dataResults(), unpolluted, "data objects read under a polluted Object.prototype");
    } finally {
      for (const name of Object.keys(polluted)) delete Object.prototype[name];
    }
    equal(method, { compInd: "U", elapsedMs: 0 }, "runMethod without a method URL of its own");
    equal([challenge[0], /notificationUrl/.test(challenge[1])], ["missing_field", true], "runChallenge without a notification URL of its own");
    for (const [i, what] of ["respondToNotification", "notifyParent"].entries()) {
      equal([refused[i][0], /targetOrigin/.test(refused[i][1])], ["missing_field", true], `${what} without a target origin of its own`);
    }
    equal([responded.includes("attacker"), responded.includes("https://shop.example")], [false, true], "the result page: its own origin, no polluted nonce");
    equal(lib.decodeMethodData(shift4.threeDSMethodData).threeDSMethodNotificationURL, "https://shop.example/3ds/method", "nextAction's own notification URL");
    // Options inheriting from defaults, or a class instance: refused, loudly, in every function.
    const inherited = Object.create({ notificationUrl: "https://shop.example/n" }, { threeDSServerTransID: { value: id, enumerable: true } });
    await rejectsThreeDs(lib.runMethod(inherited), "invalid_field", "options", "runMethod options inheriting a notification URL");
    await rejectsThreeDs(lib.runChallenge(new (class Options { acsUrl = "https://acs.example/c"; })()), "invalid_field", "options", "runChallenge options of a class");
    throwsThreeDs(() => lib.notifyParent({ type: "empty" }, Object.create({ targetOrigin: "https://shop.example" })), "invalid_field", "options", "notifyParent options inheriting a target origin");
    throwsThreeDs(() => lib.respondToNotification({ body: "" }, Object.create({ targetOrigin: "https://shop.example" })), "invalid_field", "options", "respondToNotification inherited options");
    throwsThreeDs(() => lib.nextAction("shift4", fx.shift4.fingerprint, Object.create({ methodNotificationUrl: "https://shop.example/m" })), "invalid_field", "options", "nextAction inherited options");
    // A Proxy whose traps throw is a typed error naming the option, never an exception through the module.
    const hostile = new Proxy({}, { getOwnPropertyDescriptor() { throw new Error("no"); } });
    await rejectsThreeDs(lib.runMethod(hostile), "invalid_field", "options.", "a Proxy that throws");
    equal(await lib.runMethod(Object.assign(Object.create(null), { threeDSServerTransID: id, notificationUrl: "https://shop.example/n" })), { compInd: "U", elapsedMs: 0 }, "options made by Object.create(null)");
    // Data merged into an object's `constructor` reaches Object itself: `Object.hasOwn` (which older engines
    // lack anyway) and `Object.getPrototypeOf` overwritten by strings change nothing.
    const statics = { hasOwn: Object.hasOwn, getPrototypeOf: Object.getPrototypeOf };
    let afterStatics;
    try {
      Object.assign(Object, { hasOwn: "x", getPrototypeOf: "x" });
      afterStatics = [await lib.runMethod({ threeDSServerTransID: id, notificationUrl: "https://shop.example/n" }), lib.parseReturn(post(fx.acquired.redirect), { keys: { acquiredAppKey: fx.acquired.appKey } }).trusted];
    } finally {
      Object.assign(Object, statics);
    }
    equal(afterStatics, [{ compInd: "U", elapsedMs: 0 }, true], "Object.hasOwn and Object.getPrototypeOf overwritten");
    // A data object's class may define its members (a framework's request with getters); only the root of the
    // chain, where pollution lands, is never read.
    const cres = standardBase64(JSON.stringify({ threeDSServerTransID: id, acsTransID: "d7c1ee99-9478-44a6-b1f2-391e29c6b340", messageType: "CRes", messageVersion: "2.2.0", transStatus: "Y", challengeCompletionInd: "Y" }));
    class Posted {
      get body() { return `cres=${encodeURIComponent(cres)}`; }
      get contentType() { return FORM; }
    }
    equal(lib.respondToNotification(new Posted(), { targetOrigin: "https://shop.example" }).result.type, "challenge", "a request whose class defines body and contentType");
    // `Promise.resolve` and `Promise.reject` overwritten (data merged into a promise's constructor): every call
    // still returns a promise that settles with a result or a ThreeDsError, and never throws through the module
    // (each throw used to leak its wasm stack until the module broke, after about 2,100).
    const promises = { resolve: Promise.resolve, reject: Promise.reject };
    const settledCalls = [];
    try {
      Object.assign(Promise, { resolve: 1, reject: 1 });
      for (let i = 0; i < 3000; i++) {
        settledCalls.push(lib.parseReturnRequest(new Request("https://shop.example/r?secure_token_id=tok_1"), { provider: i % 2 ? "komoju" : "stripe" }));
      }
    } finally {
      Object.assign(Promise, promises);
    }
    const outcomes = await Promise.allSettled(settledCalls);
    equal(outcomes.every((o, i) => (i % 2 ? o.status === "fulfilled" && o.value.provider === "komoju" : o.reason?.code === "unknown_provider")), true, "3000 calls with Promise.resolve and Promise.reject overwritten");
    equal(lib.parseReturn(post(fx.acquired.redirect), { keys: { acquiredAppKey: fx.acquired.appKey } }).trusted, true, "a genuine return after them");
    // `Function.prototype.bind` overwritten (data merged into `{}.constructor.constructor.prototype`): a body's
    // continuations are bound with the `bind` read at the first call, so a return with a Content-Length is still
    // read (it used to throw a TypeError through the module, and leak its options in wasm, on every call).
    const body = new URLSearchParams(fx.acquired.redirect).toString();
    const withLength = requestLike(async () => body, { "content-type": FORM, "content-length": String(body.length) });
    const bind = Function.prototype.bind;
    let boundCalls;
    try {
      Function.prototype.bind = 1;
      boundCalls = Array.from({ length: 100 }, () => lib.parseReturnRequest(withLength, { provider: "acquired", keys: { acquiredAppKey: fx.acquired.appKey } }));
    } finally {
      Function.prototype.bind = bind;
    }
    equal((await Promise.all(boundCalls)).every((r) => r.trusted === true), true, "100 returns with Function.prototype.bind overwritten");
  }],
  ["attack: hostile option values and Request-likes are typed errors, and the module keeps working after thousands", async (lib, fx) => {
    const genuine = post(fx.acquired.redirect);
    const keys = { acquiredAppKey: fx.acquired.appKey };
    const stillWorks = (what) => equal(lib.parseReturn(genuine, { keys }).trusted, true, `a genuine return after ${what}`);
    // What JSON cannot write (a function, a symbol, a toJSON giving undefined) is no value: a check asked for
    // with none. Each used to throw a TypeError through the module, leaking its stack until it broke.
    for (const value of [() => "order", Symbol("order"), { toJSON: () => undefined }]) {
      for (let i = 0; i < 1000; i++) throwsThreeDs(() => lib.parseReturn(genuine, { keys, expectedOrderId: value }), "invalid_field", "expectedOrderId", `expectedOrderId ${String(value)}`);
    }
    for (let i = 0; i < 1000; i++) notSuccess(() => lib.parseReturn({ ...genuine, body: () => genuine.body }, { keys }), "a body that is a function (no body)");
    stillWorks("3000 options JSON cannot write");
    // An own member set to undefined is an unset variable, not an absent check.
    throwsThreeDs(() => lib.parseReturn(genuine, { keys, expectedOrderId: undefined }), "invalid_field", "expectedOrderId", "expectedOrderId undefined");
    throwsThreeDs(() => lib.parseReturn(genuine, { keys, maxAgeSeconds: undefined }), "invalid_field", "maxAgeSeconds", "maxAgeSeconds undefined");
    throwsThreeDs(() => lib.parseReturn(genuine, { keys: undefined }), "invalid_keys", "keys", "keys undefined");
    // A lone surrogate in a key is refused, never copied as U+FFFD (two secrets would verify alike).
    throwsThreeDs(() => lib.parseReturn(genuine, { keys: { acquiredAppKey: `${fx.acquired.appKey}\ud800` } }), "invalid_keys", "acquiredAppKey", "a key with a lone surrogate");
    // Defaults made by Object.create(null) and inherited: refused, not read in part.
    const defaults = Object.assign(Object.create(null), { expectedOrderId: "another-order" });
    throwsThreeDs(() => lib.parseReturn(genuine, Object.assign(Object.create(defaults), { keys })), "invalid_field", "options", "options inheriting from null-prototype defaults");
    // ... even dressed as another realm's Object.prototype (null prototype, its own hasOwnProperty).
    const lookalike = Object.assign(Object.create(null), { hasOwnProperty: Object.prototype.hasOwnProperty, expectedOrderId: "another-order" });
    throwsThreeDs(() => lib.parseReturn(genuine, Object.assign(Object.create(lookalike), { keys })), "invalid_field", "options", "defaults dressed as Object.prototype");

    // Request-likes whose text() gives what no Request gives: a rejected promise, never a throw or a value.
    const like = (text, headers = { "content-type": FORM, "content-length": String(genuine.body.length) }) => requestLike(text, headers);
    const call = (request, options) => {
      const result = lib.parseReturnRequest(request, options);
      if (!(result instanceof Promise)) fail(`parseReturnRequest gave ${String(result)}, not a Promise`);
      return result;
    };
    for (let i = 0; i < 4000; i++) await rejectsThreeDs(call(like(() => 42)), "invalid_field", "request", "text() giving a number");
    await rejectsThreeDs(call(like(() => ({ get then() { throw new Error("no"); } }))), "invalid_field", "request", "text() giving a thenable whose then throws");
    equal((await call(like(() => ({ then: (resolve) => resolve(genuine.body) })), { keys })).trusted, true, "text() giving a thenable that answers at once");
    await rejectsThreeDs(call(like(() => Promise.resolve("x".repeat(300 * 1024)), { "content-type": FORM, "content-length": "100" })), "too_large", "body", "a Content-Length that understates the body");
    // A genuine promise carrying a `then` of its own that would call the continuation twice.
    const twice = Promise.resolve(genuine.body);
    twice.then = (onBody) => { onBody(genuine.body); onBody(genuine.body); };
    equal((await call(like(() => twice), { keys })).trusted, true, "a promise whose own then answers twice");
    // A genuine promise whose `constructor` answers Promise once, then a species of the caller's that would make
    // the promise returned: the package adopts the body into a promise of its own and returns its own.
    const forgedBody = new URLSearchParams({ ...fx.acquired.redirect, hash: "0".repeat(64) }).toString();
    const speciesBody = () => {
      const promise = Promise.resolve(forgedBody);
      let reads = 0;
      Object.defineProperty(promise, "constructor", {
        get: () => (reads++ === 0 ? Promise : { [Symbol.species]: function Evil(executor) { executor(() => {}, () => {}); return Promise.resolve({ trusted: true }); } }),
      });
      return promise;
    };
    await rejectsThreeDs(call(like(speciesBody), { keys }), "integrity_failed", "hash", "a body promise with a species of the caller's");
    // Options are read when the call is made: changed while the body is on its way, they change nothing; wrong,
    // they are reported before the body is read.
    let release;
    const options = { keys, expectedOrderId: "another-order" };
    const pending = call(like(() => new Promise((resolve) => { release = () => resolve(genuine.body); })), options);
    options.expectedOrderId = fx.acquired.redirect.order_id;
    release();
    await rejectsThreeDs(pending, "invalid_field", "order_id", "options changed after the call");
    let read = false;
    await rejectsThreeDs(call(like(() => { read = true; return Promise.resolve(genuine.body); }), { keys, expectedOrderId: null }), "invalid_field", "expectedOrderId", "wrong options");
    equal(read, false, "the body read despite wrong options");
    stillWorks("4000 hostile text()");
    // Chunked bodies (no Content-Length): only real Uint8Arrays count, copied whatever their own properties say.
    const chunked = (chunks) => ({
      method: "POST", url: "https://shop.example/r", headers: new Headers({ "content-type": FORM }),
      body: new ReadableStream({ start(controller) { for (const chunk of chunks) controller.enqueue(chunk); controller.close(); } }),
    });
    const bytes = new TextEncoder().encode(genuine.body);
    const lying = new TextEncoder().encode(genuine.body);
    Object.defineProperty(lying, "length", { get() { throw new Error("no"); } });
    Object.defineProperty(lying, "byteLength", { value: 1 });
    const [dressed, real, honest] = await Promise.allSettled([
      call(chunked([Object.create(Uint8Array.prototype)]), { keys }),
      call(chunked([lying]), { keys }),
      call(chunked([bytes.subarray(0, 10), bytes.subarray(10)]), { keys }),
    ]);
    await rejectsThreeDs(dressed.status === "rejected" ? Promise.reject(dressed.reason) : Promise.resolve(dressed.value), "invalid_field", "request", "a chunk dressed as a Uint8Array");
    equal(real.status === "fulfilled" && real.value.trusted, true, "a real Uint8Array chunk whose own length lies");
    equal(honest.status === "fulfilled" && honest.value.trusted, true, "a genuine chunked body beside them");
    stillWorks("hostile chunks");
  }],
  ["attack: with keys, a return cannot change provider to escape its check", async (lib, fx) => {
    const keys = { acquiredAppKey: fx.acquired.appKey };
    const tampered = { ...fx.acquired.redirect, status: "success" };
    throwsThreeDs(() => lib.parseReturn(post(tampered), { keys }), "integrity_failed", "hash", "the tampered return itself");
    const cres = encodeURIComponent(standardBase64(JSON.stringify({ threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", acsTransID: "d7c1ee99-9478-44a6-b1f2-391e29c6b340", messageType: "CRes", messageVersion: "2.2.0", transStatus: "Y", challengeCompletionInd: "Y" })));
    const body = new URLSearchParams(tampered).toString();
    for (const extra of [`j=${fx.shift4.j}`, "secure_token_id=tok_1", `cres=${cres}`, "RETURNMAC=abc&REF=1", "vResultCode=G011A00100000000"]) {
      notSuccess(() => lib.parseReturn(post(`${body}&${extra}`), { keys }), `with ${extra.slice(0, 16)}`);
      throwsThreeDs(() => lib.parseReturn(post(`${body}&${extra}`), { keys }), "unknown_provider", "fit both", `ambiguous with ${extra.slice(0, 16)}`);
    }
    // The Acquired.com fields dropped: the return is now only another provider's, which the keys cannot check.
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: `/r?j=${fx.shift4.j}` }, { keys }), "integrity_failed", "shift4", "shift4 with Acquired keys");
    throwsThreeDs(() => lib.parseReturn(post(`cres=${cres}`), { keys }), "integrity_failed", "emv", "a cres with Acquired keys");
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: "/r?secure_token_id=tok_1" }, { keys }), "integrity_failed", "komoju", "komoju with Acquired keys");
    // Without keys, an ambiguous return is still refused rather than read by whichever rule comes first.
    throwsThreeDs(() => lib.parseReturn(post(`${body}&j=${fx.shift4.j}`)), "unknown_provider", "fit both", "ambiguous without keys");
  }],
  ["attack: Ingenico RETURNMAC is compared with the stored one, and binds the payment it was stored with", async (lib) => {
    const bound = { keys: { ingenicoReturnMac: "stored-mac" }, expectedOrderId: "1" };
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: "/r?REF=1&RETURNMAC=forged" }, bound), "integrity_failed", "RETURNMAC", "another MAC");
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: "/r?REF=1" }, { provider: "ingenico", ...bound }), "integrity_failed", "RETURNMAC", "no MAC");
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: "/r?REF=1&RETURNMAC=a&RETURNMAC=stored-mac" }, bound), "invalid_field", "RETURNMAC", "two MACs");
    // The customer's own genuine RETURNMAC beside another payment's REF (or hostedCheckoutId): the next
    // Retrieve Payment would read someone else's payment.
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: "/r?REF=2&RETURNMAC=stored-mac" }, bound), "invalid_field", "REF", "another payment's REF");
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: "/r?REF=1&hostedCheckoutId=9&RETURNMAC=stored-mac" }, bound), "invalid_field", "hostedCheckoutId", "another hosted checkout");
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: "/r?RETURNMAC=stored-mac" }, bound), "missing_field", "REF", "no reference at all");
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: "/r?REF=1&RETURNMAC=stored-mac" }, { keys: { ingenicoReturnMac: "stored-mac" } }), "missing_field", "expectedOrderId", "a MAC without its payment");
    const result = lib.parseReturn({ method: "GET", url: "/r?REF=1&RETURNMAC=stored-mac" }, bound);
    equal([result.trusted, result.outcome, result.verifyWithServer, result.ids.paymentId], [true, "pending", true, "1"], "trusted means only 'came back from this checkout'");
  }],
  ["attack: VeriTrans4G fields posted outside the signature, and results the signed code does not support", async (lib) => {
    const genuine = await veritransFailure();
    const refuse = (forged, code, field, what, url) => throwsThreeDs(() => lib.parseReturn(post(forged, url), { keys: VERITRANS_KEYS }), code, field, what);
    // cardMstatus renamed in authParams (its signed bytes carried by "z"), then posted again, unsigned.
    const names = ["RequestId", "OrderId", "mpiMstatus", "vResultCode", "z"];
    refuse({ ...genuine, z: "failure", cardMstatus: "success", authParams: standardBase64(names.join(",")) }, "integrity_failed", "cardMstatus", "cardMstatus unsigned");
    refuse({ ...genuine, eci: "05" }, "integrity_failed", "eci", "an unsigned eci");
    const withoutCard = await veritransSigned({ RequestId: "req-6", OrderId: "order-6", mpiMstatus: "failure", vResultCode: "GE11000000000000" });
    refuse(withoutCard, "integrity_failed", "cardMstatus", "a VeriTrans field in the return URL's query", "/return?cardMstatus=success");
    // A genuine GE12 ("tentatively authenticated, payment not possible") is no success to act on.
    const ge12 = await veritransSigned({ RequestId: "req-9", OrderId: "order-9", mpiMstatus: "failure", vResultCode: "GE12000000000000", cardMstatus: "failure" });
    equal(lib.parseReturn(post(ge12), { keys: VERITRANS_KEYS }).outcome, "not_authenticated", "GE12");
    // A conditional success depends on the service option type, which the return does not carry.
    const g012 = await veritransSigned({ RequestId: "req-8", OrderId: "order-8", mpiMstatus: "success", vResultCode: "G012A00100000000", cardMstatus: "success" });
    const attempted = lib.parseReturn(post(g012), { keys: VERITRANS_KEYS });
    equal([attempted.outcome, attempted.trusted, attempted.verifyWithServer], ["attempted", true, true], "G012");
    // Signed, but contradicting itself.
    for (const mpiMstatus of ["failure", "pending"]) {
      const contradiction = await veritransSigned({ RequestId: "req-7", OrderId: "order-7", mpiMstatus, vResultCode: "G011A00100000000" });
      throwsThreeDs(() => lib.parseReturn(post(contradiction), { keys: VERITRANS_KEYS }), "invalid_field", "mpiMstatus", `mpiMstatus ${mpiMstatus} against G011`);
    }
    // Authenticated, but the card step failed: not a payment to ship on without the server.
    const cardFailed = await veritransSigned({ RequestId: "req-5", OrderId: "order-5", mpiMstatus: "success", vResultCode: "G011A00100000000", cardMstatus: "failure" });
    const card = lib.parseReturn(post(cardFailed), { keys: VERITRANS_KEYS });
    equal([card.outcome, card.trusted, card.verifyWithServer], ["authenticated", true, true], "cardMstatus failure");
    // The same return with cardMstatus's signed bytes moved (hostile review, 2026-11-23): authParams is not signed,
    // so "failure" goes under a name VeriTrans never sent, or a free-text RequestId, and cardMstatus is left out or
    // takes mpiMstatus's "success". Each still verifies; none may make the card payment look settled.
    const options = { keys: VERITRANS_KEYS, expectedOrderId: "order-5" };
    const moved = [
      [{ RequestId: "req-5", OrderId: "order-5", mpiMstatus: "success", vResultCode: "G011A00100000000", x: "failure" }, "cardMstatus left out, its bytes under x"],
      [{ RequestId: "req-5", OrderId: "order-5", cardMstatus: "success", vResultCode: "G011A00100000000", x: "failure" }, "mpiMstatus's success as cardMstatus"],
      [{ x: "req-5", OrderId: "order-5", cardMstatus: "success", vResultCode: "G011A00100000000", RequestId: "failure" }, "the failure as RequestId"],
    ];
    for (const [fields, what] of moved) {
      const forged = { ...fields, authParams: standardBase64(Object.keys(fields).join(",")), vAuthInfo: cardFailed.vAuthInfo };
      equal(lib.verifyVeritransRedirect(forged, CC_ID, PASSWORD), true, `${what}: the signature still matches`);
      const result = lib.parseReturn(post(forged), options);
      equal([result.outcome, result.trusted, result.verifyWithServer], ["authenticated", true, true], what);
    }
    // A G001 (3-D Secure possible, not done) is no refusal either (second hostile review, 2026-11-23).
    const g001 = await veritransSigned({ RequestId: "req-3", OrderId: "order-3", mpiMstatus: "success", vResultCode: "G001000000000000" });
    const challenge = lib.parseReturn(post(g001), { keys: VERITRANS_KEYS });
    equal([challenge.outcome, challenge.trusted, challenge.verifyWithServer], ["challenge_required", true, true], "G001");
    // A success is read from the Search API however it came; a signed refusal is final.
    const full = await veritransSigned({ RequestId: "req-4", OrderId: "order-4", mpiMstatus: "success", vResultCode: "G011A00100000000", cardMstatus: "success" });
    equal(lib.parseReturn(post(full), { keys: VERITRANS_KEYS }).verifyWithServer, true, "a signed success with cardMstatus success");
    const refusal = lib.parseReturn(post(await veritransFailure()), { keys: VERITRANS_KEYS });
    equal([refusal.outcome, refusal.trusted, refusal.verifyWithServer], ["not_authenticated", true, false], "a signed refusal");
  }],
  ["attack: options that would quietly turn a check off are errors", async (lib, fx) => {
    const request = post(fx.acquired.redirect);
    const keys = { acquiredAppKey: fx.acquired.appKey };
    for (const maxAgeSeconds of [NaN, Infinity, -Infinity, null, -1, 1.5, "600"]) {
      throwsThreeDs(() => lib.parseReturn(request, { keys, maxAgeSeconds }), "invalid_field", "maxAgeSeconds", `maxAgeSeconds ${String(maxAgeSeconds)}`);
    }
    throwsThreeDs(() => lib.parseReturn(request, { keys, expectedOrderId: null }), "invalid_field", "expectedOrderId", "expectedOrderId null");
    throwsThreeDs(() => lib.parseReturn(request, { keys, expectedOrderId: "" }), "invalid_field", "expectedOrderId", "expectedOrderId empty");
    throwsThreeDs(() => lib.parseReturn(request, { keys, expectedThreeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e" }), "invalid_field", "expectedThreeDSServerTransID", "an EMV check on an Acquired return");
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: "/r?REF=1" }, { provider: "ingenico", maxAgeSeconds: 60 }), "invalid_field", "maxAgeSeconds", "maxAgeSeconds without a signed time");
    throwsThreeDs(() => lib.parseReturn({ ...request, body: new URLSearchParams({ ...fx.acquired.redirect, status: "success" }).toString() }, { get keys() { throw new Error("vault offline"); } }), "invalid_keys", "keys", "a keys getter that throws");
    throwsThreeDs(() => lib.parseReturn(request, { keys, get maxAgeSeconds() { throw new Error("config"); } }), "invalid_field", "maxAgeSeconds", "a getter that throws");
    const hostile = new Proxy({}, { ownKeys() { throw new Error("no"); } });
    throwsThreeDs(() => lib.parseReturn(request, hostile), "invalid_field", "options", "options that cannot be listed");
    await rejectsThreeDs(lib.parseReturnRequest(new Request("https://shop.example/r", { method: "POST", body: request.body, headers: { "content-type": FORM } }), hostile), "invalid_field", "options", "parseReturnRequest with options that cannot be listed");
    throwsThreeDs(() => lib.verifyVeritransPush("a=1", `h=HmacSHA256;s=A1;v=${"0".repeat(64)};v=${"1".repeat(64)}`, "00ff"), "invalid_field", "headerValue", "two signatures in one push header");
    throwsThreeDs(() => lib.verifyVeritransPush("a=1", `h=HmacSHA256;s=A1;v=${"0".repeat(64)}`, "not hex"), "invalid_keys", "secretKey", "a push secret that is not hex");
    throwsThreeDs(() => lib.respondToNotification({ body: "" }, { targetOrigin: "https://shop.example", nonce: "" }), "invalid_field", "nonce", "an empty nonce");
    // Acquired.com posts its fields: a copy of one in the return URL's query is nobody's signature.
    throwsThreeDs(() => lib.parseReturn(post(fx.acquired.redirect, "/return?reason=authenticated"), { keys }), "integrity_failed", "reason", "reason in the query");
  }],
  ["attack: a secret no check can use is invalid_keys in every verifier, never a quiet false", async (lib, fx) => {
    const body = '{"id":"1","status":"success"}';
    const mac = await hmacHex(new TextEncoder().encode("app_key"), body);
    equal(lib.verifyAcquiredWebhook(body, mac, "app_key"), true, "the genuine webhook");
    // With its newline (read from a file), the key once failed every genuine webhook as false. A lone
    // surrogate was read as U+FFFD: "\ud800" and "\udfff" verified the same signatures.
    const pushHeader = `h=HmacSHA256;s=A1;v=${mac}`;
    for (const key of ["", " ", "app_key\n", " app_key", "\ud800", "\udfff", undefined, null, 7]) {
      const what = `key ${JSON.stringify(key)}`;
      throwsThreeDs(() => lib.verifyAcquiredWebhook(body, mac, key), "invalid_keys", "appKey", `webhook, ${what}`);
      throwsThreeDs(() => lib.verifyAcquiredRedirect(fx.acquired.redirect, key), "invalid_keys", "appKey", `redirect, ${what}`);
      throwsThreeDs(() => lib.verifyVeritransPush(body, pushHeader, key), "invalid_keys", "secretKey", `push, ${what}`);
      throwsThreeDs(() => lib.verifyVeritransRedirect({}, key, PASSWORD), "invalid_keys", "merchantCcId", `VeriTrans CCID, ${what}`);
      throwsThreeDs(() => lib.verifyVeritransRedirect({}, CC_ID, key), "invalid_keys", "merchantPassword", `VeriTrans password, ${what}`);
      throwsThreeDs(() => lib.verifyIngenicoReturnMac("mac", key), "invalid_keys", "stored", `RETURNMAC, ${what}`);
      if (typeof key === "string") {
        throwsThreeDs(() => lib.parseReturn(post(fx.acquired.redirect), { keys: { acquiredAppKey: key } }), "invalid_keys", "acquiredAppKey", `parseReturn, ${what}`);
      }
    }
  }],
  ["attack: a VeriTrans4G push header names each part once, in any case", async (lib) => {
    const body = "numberOfNotify=1&pushTime=20261122120000&pushId=00000001&orderId0000=order-1&vResultCode0000=G011000000000000";
    const secret = "00112233445566778899aabbccddeeff";
    const mac = await hmacHex(hexBytes(secret), body);
    for (const header of [`h=HmacSHA256;s=${CC_ID};v=${mac}`, `H=HmacSHA256;S=${CC_ID};V=${mac}`, ` h = HmacSHA256 ; s = ${CC_ID} ; v = ${mac} ;`]) {
      equal(lib.verifyVeritransPush(body, header, secret), true, `genuine: ${header}`);
    }
    // A reader that takes the first or the last copy, or ignores case, could see another merchant or
    // signature than this check: a part twice is refused, whatever its case.
    for (const header of [`h=HmacSHA256;s=A2;s=${CC_ID};v=${mac}`, `h=HmacSHA256;S=A2;s=${CC_ID};v=${mac}`, `h=HmacSHA256;s=${CC_ID};V=${"0".repeat(64)};v=${mac}`, `H=HmacMD5;h=HmacSHA256;s=${CC_ID};v=${mac}`]) {
      throwsThreeDs(() => lib.verifyVeritransPush(body, header, secret), "invalid_field", "headerValue", header);
    }
  }],
  ["attack: a CRes key or threeDSSessionData twice in different cases is refused, not read as the first", (lib) => {
    const cres = { threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", acsTransID: "d7c1ee99-9478-44a6-b1f2-391e29c6b340", messageType: "CRes", messageVersion: "2.2.0", transStatus: "N", challengeCompletionInd: "Y" };
    const encoded = standardBase64(JSON.stringify({ ...cres, TransStatus: "Y" }));
    equal(lib.decodeCres(standardBase64(JSON.stringify(cres))).transStatus, "N", "the CRes alone");
    throwsThreeDs(() => lib.decodeCres(encoded), "invalid_json", "transstatus", "transStatus N beside TransStatus Y");
    throwsThreeDs(() => lib.parseReturn(post({ cres: encoded })), "invalid_json", "transstatus", "the same in a posted cres");
    const plain = standardBase64(JSON.stringify(cres));
    throwsThreeDs(() => lib.parseReturn(post({ cres: plain, threeDSSessionData: "YQ", threedssessiondata: "Yg" })), "invalid_field", "threeDSSessionData", "session data twice, in two cases");
    const page = lib.respondToNotification({ body: new URLSearchParams({ cres: encoded }).toString(), contentType: FORM }, { targetOrigin: "https://shop.example" });
    equal([page.result.code, postedBy(page.html).message.result.code], ["invalid_json", "invalid_json"], "the notification page posts the refusal");
  }],
  ["attack: a notification page never posts a result the merchant page would ignore", (lib) => {
    // The page's JSON.parse makes numbers doubles: 1e400 in extension data becomes null, and 1e9 comes back
    // ten characters long, past the 8,059-character limit the data as sent met. Posted as they were, the
    // merchant page ignored them and the challenge waited out its time limit; the page now posts the refusal.
    const id = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";
    const cresWith = (data) => standardBase64(`{"threeDSServerTransID":"${id}","acsTransID":"d7c1ee99-9478-44a6-b1f2-391e29c6b340","messageType":"CRes","messageVersion":"2.2.0","transStatus":"Y","challengeCompletionInd":"Y","messageExtension":[{"name":"n","id":"i","criticalityIndicator":false,"data":${data}}]}`);
    const grown = `[${Array(2000).fill("1e9").join(",")}]`;
    equal(grown.length <= 8059, true, "the data as sent is within the EMV limit");
    for (const [data, code] of [["1e400", "missing_field"], [grown, "too_large"]]) {
      equal(lib.decodeCres(cresWith(data)).messageType, "CRes", `${data.slice(0, 20)}: the CRes decodes`);
      const page = lib.respondToNotification({ body: `cres=${encodeURIComponent(cresWith(data))}`, contentType: FORM }, { targetOrigin: "https://shop.example" });
      equal([page.result.type, page.result.code], ["error", code], `${data.slice(0, 20)}: the result`);
      equal(postedBy(page.html).message.result, page.result, `${data.slice(0, 20)}: the page posts that error`);
    }
    const page = lib.respondToNotification({ body: `cres=${encodeURIComponent(cresWith("[1,2.5]"))}`, contentType: FORM }, { targetOrigin: "https://shop.example" });
    equal(page.result.type, "challenge", "numbers a double holds as written pass");
  }],
  ["attack: a '+' in threeDSSessionData keeps a valid cres", (lib) => {
    const cres = encodeURIComponent(standardBase64(JSON.stringify({ threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", acsTransID: "d7c1ee99-9478-44a6-b1f2-391e29c6b340", messageType: "CRes", messageVersion: "2.2.0", transStatus: "Y", challengeCompletionInd: "Y" })));
    const result = lib.parseReturn(post(`cres=${cres}&threeDSSessionData=eyJvcmRlciI6+MX0`));
    equal([result.outcome, result.ids.threeDSSessionData], ["authenticated", "eyJvcmRlciI6+MX0"], "cres kept, session data restored");
  }],
  ["attack: notification URLs whose origin could never equal event.origin are refused up front", async (lib) => {
    const id = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";
    // xn-- labels browsers refuse: no Punycode (`xn--`, `xn--zz`), ASCII alone, or U+0080 (`xn--a`).
    for (const url of ["https://xn--a.example/n", "https://xn--.example/n", "https://xn--abc-.example/n", "https://shop.xn--zz/n", "https://merchant.e:xample:443/n", "https://::443/n", "https://b\u00fccher.example/n", "https://%41.example/n", "https://1.2.3.08/n", "https://[1:2:3]/n", "http://merchant.example/n", "http://10.0.0.1/n", "http://localhost.example/n"]) {
      throwsThreeDs(() => lib.encodeMethodData({ threeDSServerTransID: id, threeDSMethodNotificationURL: url }), "invalid_field", "threeDSMethodNotificationURL", url);
      // Refused before the flow touches the page (or finds there is none).
      await rejectsThreeDs(lib.runMethod({ methodUrl: "https://acs.example/method", threeDSServerTransID: id, notificationUrl: url }), "invalid_field", "notificationUrl", `runMethod ${url}`);
    }
    // Every host browsers trust over plain http is accepted; an exact origin is demanded of the responder.
    for (const url of ["http://127.0.0.1:8080/n", "http://127.8.9.10/n", "http://[::1]/n", "http://localhost/n", "http://shop.localhost/n", "https://[0:0::1]/n", "HTTPS://Shop.Example:0443/n"]) {
      lib.encodeMethodData({ threeDSServerTransID: id, threeDSMethodNotificationURL: url });
    }
    lib.encodeMethodData({ threeDSServerTransID: id, threeDSMethodNotificationURL: "https://xn--bcher-kva.example/n" });
    for (const origin of ["https://xn--a.example", "http://127.1", "https://Shop.example", "https://shop.example:443", "*", "http://evil.example", "https://shop.example."]) {
      throwsThreeDs(() => lib.respondToNotification({ body: "" }, { targetOrigin: origin }), "invalid_field", "targetOrigin", origin);
    }
  }],
  ["attack: redirect URLs a provider response names are checked as the flows' own URLs", (lib) => {
    for (const url of ["https:///orb", "https://user:pw@acs.example/", "https://acs.example:99999/", "https://b\u00fccher.example/", "https://acs.e:xample/", "javascript:alert(1)", "http://acs.example/"]) {
      throwsThreeDs(() => lib.nextAction("komoju", { verification_status: "NEEDS_VERIFY", authentication_url: url }), "invalid_field", "authentication_url", url);
    }
    equal(lib.nextAction("komoju", { verification_status: "NEEDS_VERIFY", authentication_url: "http://localhost:8080/3ds" }).type, "redirect", "http to a trustworthy host");
  }],
  ["attack: parseReturnRequest rejects what is not a readable Request with a typed error, and never throws", async (lib, fx) => {
    const body = new URLSearchParams(fx.acquired.redirect).toString();
    const options = { provider: "acquired", keys: { acquiredAppKey: fx.acquired.appKey } };
    // A Request as a worker receives one, with its Content-Length (browsers drop that header from a Request
    // they build, so the shape stands in: method, url, headers and text() are all parseReturnRequest reads).
    const received = (text, length = body.length) => requestLike(text, { "content-type": FORM, "content-length": String(length) });
    const settles = (call, what) => {
      let promise;
      try {
        promise = call();
      } catch (error) {
        fail(`${what}: threw ${error} instead of rejecting`);
      }
      if (typeof promise?.then !== "function") fail(`${what}: returned no promise`);
      return promise;
    };
    const trusted = await settles(() => lib.parseReturnRequest(received(async () => body), options), "a genuine return");
    equal(trusted.trusted, true, "a genuine return with its Content-Length is trusted");
    // A framework's Request-like: no `body` member and no Content-Length, only text(). Read as an empty body it
    // came out as an untrusted "emv" error, or a missing field: its text is read whole instead.
    const textOnly = (text) => requestLike(text);
    equal((await settles(() => lib.parseReturnRequest(textOnly(async () => body), options), "a Request-like with text() only")).trusted, true, "a Request-like with text() only is read whole");
    equal((await settles(() => lib.parseReturnRequest(textOnly(async () => body), {}), "detected")).provider, "acquired", "its provider detected from its text");
    // Many at once: each continuation gets its own request and options, none another's.
    const other = { ...fx.acquired.redirect, status: "declined" };
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        lib.parseReturnRequest(received(async () => (i % 2 ? new URLSearchParams(other).toString() : body)), options),
      ),
    );
    results.forEach((r, i) => {
      if (i % 2 === 0 && r.value?.trusted !== true) fail(`concurrent genuine return ${i}: ${r.reason ?? JSON.stringify(r.value)}`);
      if (i % 2 === 1 && r.status !== "rejected") fail(`concurrent tampered return ${i} was not refused`);
    });
    let read = false;
    const refusals = [
      [() => received(() => Promise.reject(new TypeError("the client went away"))), "invalid_field", "request", "a body that fails to arrive"],
      [() => received(async () => 42), "invalid_field", "request", "a body that is not text"],
      [() => received(() => { read = true; return Promise.resolve(body); }, 256 * 1024 + 1), "too_large", "body", "a declared Content-Length over the cap"],
      // More digits than a usize holds: over the cap too, not a length to ignore (hostile review, 2026-11-23).
      [() => received(() => { read = true; return Promise.resolve(body); }, "99999999999999999999999"), "too_large", "body", "a Content-Length of 23 digits"],
      [() => ({ method: "POST", url: "https://shop.example/return", headers: new Headers({ "content-length": "3" }) }), "invalid_field", "request", "no text()"],
      [() => textOnly(async () => "x".repeat(300 * 1024)), "too_large", "body", "a Request-like's text over the cap"],
      // Measured before they are copied into wasm memory (which never shrinks): a URL, method or header of any
      // length a worker's own code can build.
      [() => ({ ...received(async () => body), url: `https://shop.example/return?${"x".repeat(20000)}` }), "too_large", "url", "a URL over 16 KiB"],
      [() => ({ ...received(async () => body), method: "P".repeat(100) }), "invalid_field", "method", "a method of 100 characters"],
      [() => ({ ...received(async () => body), headers: new Headers({ "content-type": `${FORM};${"x".repeat(2000)}` }) }), "too_large", "content-type", "a content type of 2 KiB"],
      [() => ({ ...received(async () => body), headers: new Headers({ "content-length": "0".repeat(2000) }) }), "too_large", "content-length", "a Content-Length of 2000 digits"],
      [() => ({ method: "POST", url: "https://shop.example/return", headers: new Headers({}) }), "invalid_field", "request", "neither body nor text()"],
      [() => ({}), "invalid_field", "request", "an empty object"],
      [() => null, "invalid_field", "request", "null"],
      [() => "https://shop.example/return", "invalid_field", "request", "a URL string"],
    ];
    for (const [make, code, field, what] of refusals) await rejectsThreeDs(settles(() => lib.parseReturnRequest(make(), options), what), code, field, what);
    if (read) fail("a body declared over the cap was read");
    await rejectsThreeDs(settles(() => lib.parseReturnRequest(received(async () => body), { keys: {} }), "empty keys"), "invalid_keys", "keys", "options refused after the body");
  }],
  ["attack: parseReturnRequest stops reading a chunked body at its cap", async (lib) => {
    let pulls = 0;
    let cancelled = false;
    const chunk = new TextEncoder().encode(`a=${"x".repeat(16 * 1024 - 3)}&`);
    const stream = new ReadableStream({
      pull(controller) {
        pulls += 1;
        if (pulls > 200) controller.close();
        else controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const init = { method: "POST", body: stream, duplex: "half", headers: { "content-type": FORM } };
    // Firefox cannot build a Request with a stream body (it reads the stream as the string "[object
    // ReadableStream]"); a request it receives (a service worker's) still has one. Where the engine cannot build
    // it, the same shape stands in: method, url, headers and a streaming body are all parseReturnRequest reads.
    const request = requestStreamsWork()
      ? new Request("https://shop.example/return", init)
      : { method: "POST", url: "https://shop.example/return", headers: new Headers(init.headers), body: stream };
    await rejectsThreeDs(lib.parseReturnRequest(request, { provider: "acquired" }), "too_large", "body", "a 3 MiB chunked body");
    if (pulls > 40) fail(`read ${pulls} chunks of 16 KiB past a 256 KiB cap`);
    if (!cancelled) fail("the body was not cancelled");
  }],
];

/** Whether this runtime builds a Request whose body is a stream (the standard feature test). */
function requestStreamsWork() {
  let duplexRead = false;
  const request = new Request("https://shop.example/", {
    method: "POST",
    body: new ReadableStream(),
    get duplex() {
      duplexRead = true;
      return "half";
    },
  });
  // An engine that stringified the stream gave the body a text/plain content type.
  return duplexRead && !request.headers.has("content-type");
}
