// The package catalogue: one list of cases, run against the installed package in Node, in a page in
// Chromium and in a worker in workerd. Each case throws on failure. No Node APIs here. The attack
// catalogue (attacks.mjs) runs as part of it.
import { equal, fail, postedBy, standardBase64, throwsThreeDs } from "./assertions.mjs";
import { attacks } from "./attacks.mjs";

export { standardBase64 };

const ID = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";
const ACS_ID = "d7c1ee99-9478-44a6-b1f2-391e29c6b340";
const SHIFT4_ID = "cc78c193-eaec-494f-9cf0-eb5fa3940b13";
// Shift4's guide, verbatim: standard base64, padded, with a placeholder notification URL.
const SHIFT4_METHOD_DATA =
  "eyJ0aHJlZURTTWV0aG9kTm90aWZpY2F0aW9uVVJMIjoibWVyY2hhbnRfc2VydmVyIiwidGhyZWVEU1NlcnZlclRyYW5zSUQiOiJjYzc4YzE5My1lYWVjLTQ5NGYtOWNmMC1lYjVmYTM5NDBiMTMifQ==";

const unpadded = (s) => s.replace(/=+$/, "");
const urlAlphabet = (s) => s.replace(/\+/g, "-").replace(/\//g, "_");

const cresJson = (over = {}) =>
  JSON.stringify({
    threeDSServerTransID: ID,
    acsTransID: ACS_ID,
    messageType: "CRes",
    messageVersion: "2.2.0",
    transStatus: "Y",
    challengeCompletionInd: "Y",
    ...over,
  });
const creqInput = (over = {}) => ({
  threeDSServerTransID: ID,
  acsTransID: ACS_ID,
  messageVersion: "2.2.0",
  challengeWindowSize: "02",
  ...over,
});
const extension = (i) => ({ name: `ext${i}`, id: `id${i}`, criticalityIndicator: false, data: { n: i } });

/** Every name the package exports, as the README documents them: no more (no initSync, no default), no fewer. */
export const PUBLIC_EXPORTS = [
  "ThreeDsError", "challengeWindowSize", "collectBrowserInfo", "decodeCreq", "decodeCres", "decodeMethodData",
  "decodeMethodNotification", "decodeSessionData", "encodeCreq", "encodeMethodData", "encodeSessionData",
  "inspectPayload", "interpretVresultCode", "liabilityShift", "nextAction", "notifyParent", "parseReturn",
  "parseReturnRequest", "perform", "respondToNotification", "runChallenge", "runMethod", "serverBrowserInfo",
  "verifyAcquiredRedirect", "verifyAcquiredWebhook", "verifyIngenicoReturnMac", "verifyVeritransPush",
  "verifyVeritransRedirect",
];

/** What the browser build (the `browser` condition of "threeds-kit") exports: what a checkout page runs. */
export const BROWSER_EXPORTS = [
  "ThreeDsError", "challengeWindowSize", "collectBrowserInfo", "encodeCreq", "encodeMethodData", "encodeSessionData",
  "nextAction", "notifyParent", "perform", "runChallenge", "runMethod",
];

/**
 * The browser build against the full build, in one page: exactly its exports, the same typed errors, and the
 * same answers from every function both have, on every seed example and on bad input. Same crate, same core:
 * a difference here would be a build that leaves something out.
 */
/**
 * "threeds-kit/no-await", alone in its page: before `ready`, every function refuses with a ThreeDsError (a
 * rejection for the async ones); after, it is the browser build.
 */
export async function checkNoAwait(noAwait) {
  equal(Object.keys(noAwait).sort(), [...BROWSER_EXPORTS, "ready"].sort(), "threeds-kit/no-await's exports");
  throwsThreeDs(() => noAwait.encodeCreq(creqInput()), "unsupported_environment", "ready", "encodeCreq before ready");
  const early = await noAwait.runMethod({ methodUrl: null }).then(() => "resolved", (e) => (e instanceof noAwait.ThreeDsError ? e.code : String(e)));
  equal(early, "unsupported_environment", "runMethod before ready rejects");
  await noAwait.ready;
  equal(typeof noAwait.encodeCreq(creqInput()), "string", "encodeCreq after ready");
  equal((await noAwait.runMethod({ methodUrl: null })).compInd, "U", "runMethod after ready");
}

export async function compareBuilds(browser, full, fixtures) {
  equal(Object.keys(browser).sort(), [...BROWSER_EXPORTS].sort(), "the browser build's exports");
  if (browser.ThreeDsError !== full.ThreeDsError) fail("the two builds must share one ThreeDsError class");
  const answer = (lib, name, args) => {
    try {
      return { ok: lib[name](...args) };
    } catch (e) {
      if (!(e instanceof full.ThreeDsError)) fail(`${name}: a non-ThreeDsError was thrown: ${e}`);
      return { code: e.code, message: e.message };
    }
  };
  const calls = [
    ["challengeWindowSize", ["01"]], ["challengeWindowSize", ["06"]], ["challengeWindowSize", [7]],
    ["encodeMethodData", [{ threeDSServerTransID: ID, threeDSMethodNotificationURL: "https://shop.example/n" }]],
    ["encodeMethodData", [{ threeDSServerTransID: ID, threeDSMethodNotificationURL: "http://shop.example/n" }]],
    ["encodeMethodData", [null]],
    ["encodeCreq", [creqInput({ messageExtension: [extension(1)] })]], ["encodeCreq", [creqInput({ challengeWindowSize: "6" })]],
    ["encodeCreq", [{}]], ["encodeSessionData", [{ cart: "c-1", n: -1.1571177700400403e+294 }]], ["encodeSessionData", ["x".repeat(2000)]],
    ["nextAction", ["paypal", {}]], ["nextAction", ["komoju", "not an object"]],
  ];
  for (const [provider, examples] of Object.entries(fixtures)) {
    for (const example of Object.values(examples)) calls.push(["nextAction", [provider, example, { methodNotificationUrl: "https://shop.example/n" }]]);
  }
  for (const [name, args] of calls) {
    equal(answer(browser, name, args), answer(full, name, args), `${name}(${JSON.stringify(args).slice(0, 80)})`);
  }
  for (const options of [{}, { methodUrl: "javascript:x", threeDSServerTransID: ID, notificationUrl: "https://shop.example/n" }]) {
    const [a, b] = await Promise.all([browser.runMethod(options).catch((e) => e.code), full.runMethod(options).catch((e) => e.code)]);
    equal(a, b, `runMethod(${JSON.stringify(options)})`);
  }
}

export const cases = [
  ["exports: exactly the documented names", (lib) => {
    equal(Object.keys(lib).sort(), [...PUBLIC_EXPORTS].sort(), "the module's exports");
  }],
  ["errors: instances of the exported ThreeDsError class, thrown and rejected", async (lib) => {
    const { ThreeDsError } = lib;
    if (typeof ThreeDsError !== "function") fail("ThreeDsError is not exported as a class");
    const check = (error, code, what) => {
      if (!(error instanceof ThreeDsError)) fail(`${what}: not an instance of ThreeDsError: ${error}`);
      if (!(error instanceof Error)) fail(`${what}: not an Error`);
      equal([error.name, error.code, Object.prototype.toString.call(error)], ["ThreeDsError", code, "[object Error]"], what);
      if (!String(error.stack).includes("ThreeDsError")) fail(`${what}: the stack does not start with the name: ${error.stack}`);
    };
    try {
      lib.decodeCres("%%%");
      fail("decodeCres did not throw");
    } catch (error) {
      check(error, "invalid_base64", "thrown by decodeCres");
    }
    try {
      await lib.parseReturnRequest(new Request("https://shop.example/return"), { provider: "acquired", keys: {} });
      fail("parseReturnRequest did not reject");
    } catch (error) {
      check(error, "invalid_keys", "rejected by parseReturnRequest");
    }
    try {
      await lib.runMethod({ methodUrl: "http://acs.example/method", threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", notificationUrl: "https://shop.example/n" });
      fail("runMethod did not reject");
    } catch (error) {
      check(error, "invalid_field", "rejected by runMethod");
    }
    const own = new ThreeDsError("timeout", "made by the caller");
    check(own, "timeout", "constructed by the caller");
    equal(own.message, "made by the caller", "message");
  }],
  ["method data: base64url without padding, round trip", (lib) => {
    const data = { threeDSServerTransID: ID, threeDSMethodNotificationURL: "https://merchant.example/3ds/method?order=1" };
    const encoded = lib.encodeMethodData(data);
    if (!/^[A-Za-z0-9_-]+$/.test(encoded)) fail(`not base64url without padding: ${encoded}`);
    equal(lib.decodeMethodData(encoded), data, "decodeMethodData");
    equal(lib.decodeMethodNotification(encoded), { threeDSServerTransID: ID }, "decodeMethodNotification");
  }],
  ["method data: base64url where standard base64 has + and /", (lib) => {
    // Chosen so that the standard encoding of the JSON contains both '+' and '/'.
    const data = { threeDSServerTransID: ID, threeDSMethodNotificationURL: "https://merchant.example/n?q=>>>???~" };
    const standard = standardBase64(JSON.stringify(data));
    if (!/[+]/.test(standard) || !/[/]/.test(standard)) fail(`fixture lost its '+' or '/': ${standard}`);
    const encoded = lib.encodeMethodData(data);
    if (/[+/=]/.test(encoded)) fail(`output has standard-alphabet characters: ${encoded}`);
    equal(encoded, urlAlphabet(unpadded(standard)), "same bytes in the url alphabet");
  }],
  ["method data: http only for localhost and 127.0.0.1", (lib) => {
    for (const url of ["http://localhost:8080/n", "http://127.0.0.1/n"]) lib.encodeMethodData({ threeDSServerTransID: ID, threeDSMethodNotificationURL: url });
    for (const url of ["http://merchant.example/n", "merchant_server", "javascript:alert(1)", "https://user:pw@merchant.example/"]) {
      throwsThreeDs(() => lib.encodeMethodData({ threeDSServerTransID: ID, threeDSMethodNotificationURL: url }), "invalid_field", "threeDSMethodNotificationURL", url);
    }
  }],
  ["notification: padding, alphabets, whitespace", (lib) => {
    const json = JSON.stringify({ threeDSServerTransID: ID });
    const standard = standardBase64(json);
    for (const value of [standard, unpadded(standard), urlAlphabet(standard), urlAlphabet(unpadded(standard)), `  ${standard}\r\n`, standard.replace(/=/g, "%3D")]) {
      equal(lib.decodeMethodNotification(value), { threeDSServerTransID: ID }, JSON.stringify(value));
    }
  }],
  ["notification: key drift matched by value", (lib) => {
    for (const key of ["threeDServerTransID", "threeDSMethodData", "ThreeDSServerTransId"]) {
      equal(lib.decodeMethodNotification(standardBase64(JSON.stringify({ [key]: ID }))), { threeDSServerTransID: ID }, key);
    }
    throwsThreeDs(() => lib.decodeMethodNotification(standardBase64(JSON.stringify({ other: "x" }))), "missing_field", "threeDSServerTransID", "no ID");
  }],
  ["seed: Shift4's padded threeDSMethodData example", (lib) => {
    equal(lib.decodeMethodNotification(SHIFT4_METHOD_DATA), { threeDSServerTransID: SHIFT4_ID }, "notification");
    // Its placeholder URL is no URL at all: strict decoding says so, by field.
    throwsThreeDs(() => lib.decodeMethodData(SHIFT4_METHOD_DATA), "invalid_field", "threeDSMethodNotificationURL", "decodeMethodData");
  }],
  ["creq: round trip for every window size, with extensions", (lib) => {
    for (const size of ["01", "02", "03", "04", "05"]) {
      const input = creqInput({ challengeWindowSize: size, messageExtension: [extension(1)] });
      const encoded = lib.encodeCreq(input);
      if (!/^[A-Za-z0-9_-]+$/.test(encoded)) fail(`creq not base64url: ${encoded}`);
      equal(lib.decodeCreq(encoded), { ...input, messageType: "CReq" }, `decodeCreq ${size}`);
      const json = JSON.parse(atob(encoded.replace(/-/g, "+").replace(/_/g, "/")));
      equal(json.messageType, "CReq", "messageType on the wire");
    }
  }],
  ["cres: messageType casing normalised, padded or not", (lib) => {
    for (const messageType of ["CRes", "cres", "CRES", "Cres", "cRes"]) {
      const standard = standardBase64(cresJson({ messageType }));
      for (const value of [standard, urlAlphabet(unpadded(standard))]) {
        const result = lib.decodeCres(value);
        equal(result.messageType, "CRes", messageType);
        equal(result.transStatus, "Y", "transStatus");
      }
    }
    equal(lib.decodeCres(standardBase64(cresJson({ transStatus: "N" }))).transStatus, "N", "N");
  }],
  ["cres: an Erro in place of a CRes", (lib) => {
    const erro = { messageType: "Erro", errorCode: "402", errorComponent: "A", errorDescription: "Transaction timed out", errorDetail: "challenge", threeDSServerTransID: ID, messageVersion: "2.2.0" };
    equal(lib.decodeCres(standardBase64(JSON.stringify(erro))), erro, "Erro");
    const numeric = lib.decodeCres(standardBase64(JSON.stringify({ ...erro, messageType: "ERRO", errorCode: 203 })));
    equal([numeric.messageType, numeric.errorCode], ["Erro", "203"], "numeric errorCode, upper-case type");
  }],
  ["challengeWindowSize: exactly the EMV table", (lib) => {
    const table = { "01": ["250px", "400px"], "02": ["390px", "400px"], "03": ["500px", "600px"], "04": ["600px", "400px"], "05": ["100%", "100%"] };
    for (const [code, [width, height]] of Object.entries(table)) equal(lib.challengeWindowSize(code), { code, width, height }, code);
  }],
  ["unicode survives, a byte-order mark is tolerated", (lib) => {
    const erro = { messageType: "Erro", errorCode: "101", errorComponent: "A", errorDescription: "無効なメッセージ ✓ </script>\"'" };
    equal(lib.decodeCres(standardBase64(JSON.stringify(erro))).errorDescription, erro.errorDescription, "unicode");
    equal(lib.decodeCres(standardBase64(`\ufeff${cresJson()}`)).messageType, "CRes", "BOM");
  }],
  ["inspector: every kind, and a pasted form body", (lib) => {
    const method = lib.encodeMethodData({ threeDSServerTransID: ID, threeDSMethodNotificationURL: "https://m.example/n" });
    equal(lib.inspectPayload(method).kind, "threeDSMethodData", "method data");
    // Shift4's example carries a placeholder where the URL belongs: the inspector says so, by field.
    throwsThreeDs(() => lib.inspectPayload(SHIFT4_METHOD_DATA), "invalid_field", "threeDSMethodNotificationURL", "Shift4 example");
    equal(lib.inspectPayload(standardBase64(JSON.stringify({ threeDServerTransID: ID }))).kind, "methodNotification", "notification");
    equal(lib.inspectPayload(lib.encodeCreq(creqInput())).kind, "creq", "creq");
    const form = `cres=${encodeURIComponent(standardBase64(cresJson({ messageType: "cres" })))}&threeDSSessionData=abc`;
    const report = lib.inspectPayload(form);
    equal(report.kind, "cres", "form body");
    if (!report.warnings.some((w) => w.includes("normalised"))) fail(`no casing warning in ${JSON.stringify(report.warnings)}`);
    const transStatus = report.fields.find((f) => f.name === "transStatus");
    equal(transStatus.meaning, "outcome: authenticated", "explained");
  }],
  ["respondToNotification: a method notification, padded, with key drift", (lib) => {
    const body = `threeDSMethodData=${encodeURIComponent(standardBase64(JSON.stringify({ threeDServerTransID: ID })))}`;
    const { result, html } = lib.respondToNotification({ body, contentType: "application/x-www-form-urlencoded" }, { targetOrigin: "https://shop.example", nonce: "r4nd0m" });
    equal(result, { type: "method", threeDSServerTransID: ID }, "result");
    if (!html.includes('<script nonce="r4nd0m">')) fail(`no nonce: ${html}`);
    if (!html.includes('"https://shop.example");')) fail(`targetOrigin not exact: ${html}`);
  }],
  ["respondToNotification: cres with session data, an erro field, an empty POST", (lib) => {
    const cres = `cres=${encodeURIComponent(standardBase64(cresJson({ messageType: "cres" })))}&threeDSSessionData=b3JkZXI`;
    const challenge = lib.respondToNotification({ body: cres, contentType: "application/x-www-form-urlencoded; charset=utf-8" }, { targetOrigin: "http://127.0.0.1:8080" }).result;
    equal([challenge.type, challenge.message.messageType, challenge.threeDSServerTransID, challenge.threeDSSessionData], ["challenge", "CRes", ID, "b3JkZXI"], "cres");
    const erro = `erro=${encodeURIComponent(standardBase64(JSON.stringify({ messageType: "Erro", errorCode: "402", errorComponent: "A", errorDescription: "Timed out" })))}`;
    equal(lib.respondToNotification({ body: erro, contentType: "application/x-www-form-urlencoded" }, { targetOrigin: "https://shop.example" }).result.message.errorCode, "402", "erro");
    for (const body of ["", "cres=", "cres=&threeDSSessionData="]) {
      equal(lib.respondToNotification({ body, contentType: "application/x-www-form-urlencoded" }, { targetOrigin: "https://shop.example" }).result, { type: "empty" }, `empty ${JSON.stringify(body)}`);
    }
  }],
  ["respondToNotification: no field content breaks out of the script", (lib) => {
    const hostile = "</script><script>alert(1)</script>\"'\u2028\u2029<!--";
    const erro = { messageType: "Erro", errorCode: "101", errorComponent: "A", errorDescription: hostile, errorDetail: hostile, errorMessageType: "CReq" };
    const { html } = lib.respondToNotification({ body: `cres=${encodeURIComponent(standardBase64(JSON.stringify(erro)))}`, contentType: "application/x-www-form-urlencoded" }, { targetOrigin: "https://shop.example" });
    if (html.split("</script>").length !== 2) fail(`script closed early: ${html}`);
    if (html.includes("<!--") || html.includes("\u2028") || html.includes("<script>alert")) fail(`unescaped content: ${html}`);
    const script = html.slice(html.indexOf(">", html.indexOf("<script")) + 1, html.indexOf("</script>"));
    let page;
    try {
      page = new Function("window", script);
    } catch {
      return; // workerd forbids code generation; Node and Chromium run this part
    }
    const posted = [];
    page({ parent: { postMessage: (message, origin) => posted.push([message, origin]) } });
    equal(posted, [[{ protocol: "threeds-kit/1", result: { type: "challenge", message: erro } }, "https://shop.example"]], "what the page posts");
  }],
  ["respondToNotification: bad options throw; an unreadable post becomes a typed error result the page posts", (lib) => {
    const body = `threeDSMethodData=${standardBase64(JSON.stringify({ threeDSServerTransID: ID }))}`;
    const form = "application/x-www-form-urlencoded";
    throwsThreeDs(() => lib.respondToNotification({ body, contentType: form }, { targetOrigin: "*" }), "invalid_field", "targetOrigin", "*");
    throwsThreeDs(() => lib.respondToNotification({ body, contentType: form }, { targetOrigin: "https://shop.example/return" }), "invalid_field", "targetOrigin", "path");
    throwsThreeDs(() => lib.respondToNotification({ body, contentType: form }, {}), "missing_field", "targetOrigin", "none");
    throwsThreeDs(() => lib.respondToNotification({ body, contentType: form }, { targetOrigin: "https://shop.example", nonce: '"><script>' }), "invalid_field", "nonce", "nonce");
    throwsThreeDs(() => lib.respondToNotification({ body: 42 }, { targetOrigin: "https://shop.example" }), "invalid_field", "body", "number body");
    for (const [request, code, field] of [
      [{ body, contentType: "application/json" }, "invalid_field", "contentType"],
      [{ body: "a=b", contentType: form }, "missing_field", "cres"],
      [{ body: "cres=%%%", contentType: form }, "invalid_base64", "cres"],
      [{ body: `cres=x&threeDSSessionData=${"a".repeat(1025)}`, contentType: form }, "invalid_field", "threeDSSessionData"],
      [{ body: "x".repeat(300 * 1024), contentType: form }, "too_large", "form body"],
    ]) {
      const { result, html } = lib.respondToNotification(request, { targetOrigin: "https://shop.example" });
      equal([result.type, result.code], ["error", code], JSON.stringify(request).slice(0, 60));
      if (!result.message.includes(field)) fail(`message ${result.message} does not name ${field}`);
      equal(postedBy(html).message.result, result, "the page posts the error result");
    }
  }],
  ["session data and server-side browser fields", (lib) => {
    const state = { order: "A-1042", mode: "redirect" };
    const encoded = lib.encodeSessionData(state);
    if (!/^[A-Za-z0-9_-]+$/.test(encoded)) fail(`not base64url: ${encoded}`);
    equal(lib.decodeSessionData(encoded), state, "round trip");
    throwsThreeDs(() => lib.encodeSessionData({ blob: "x".repeat(900) }), "too_large", "threeDSSessionData", "too big");
    equal(lib.serverBrowserInfo({ acceptHeader: "text/html", ip: "203.0.113.7" }), { browserAcceptHeader: "text/html", browserIP: "203.0.113.7" }, "server fields");
    throwsThreeDs(() => lib.serverBrowserInfo({ acceptHeader: "text/html", ip: "not-an-ip" }), "invalid_field", "ip", "bad ip");
  }],
  ["browser steps without a window are typed errors (Node, workers, workerd)", async (lib) => {
    if (typeof document !== "undefined") return;
    const code = await lib.runMethod({ methodUrl: "https://acs.example/m", threeDSServerTransID: ID, notificationUrl: "https://shop.example/n" }).then(() => "resolved", (e) => e.code);
    equal(code, "unsupported_environment", "runMethod");
    equal(await lib.runMethod({ methodUrl: null }), { compInd: "U", elapsedMs: 0 }, "no method URL needs no window");
    throwsThreeDs(() => lib.collectBrowserInfo(), "unsupported_environment", "collectBrowserInfo", "browser info");
  }],
  ["providers: nextAction for every seed example", (lib, fx) => {
    equal(lib.nextAction("komoju", fx.komoju.needsVerify), { type: "redirect", url: fx.komoju.needsVerify.authentication_url, method: "GET", fields: {}, iframeAllowed: false }, "komoju");
    equal(lib.nextAction("komoju", fx.komoju.ok).type, "none", "komoju OK");
    equal(lib.nextAction("komoju", fx.komoju.errored), { type: "fail", reason: "3-D Secure failed to initialise: check payment_details and retry, or ask for another card", retryable: true }, "komoju ERRORED");
    // The guide's example elides the host of its redirectURL: refused at once; with a host it redirects.
    throwsThreeDs(() => lib.nextAction("ingenico", fx.ingenico.enrolled), "invalid_field", "redirectURL", "a redirect URL with no host");
    const enrolled = structuredClone(fx.ingenico.enrolled);
    enrolled.merchantAction.redirectData.redirectURL = enrolled.merchantAction.redirectData.redirectURL.replace("https:///", "https://payment.example/");
    equal(lib.nextAction("ingenico", enrolled).store, { RETURNMAC: fx.ingenico.enrolled.merchantAction.redirectData.RETURNMAC }, "ingenico store");
    equal(lib.nextAction("ingenico", fx.ingenico.notEnrolled).detail, { threeDSecureStatus: "NOT_ENROLLED", eci: "07", cavvPresent: false, paymentId: "000000000100000000010000100001" }, "ingenico not enrolled");
    equal(lib.nextAction("ingenico", fx.ingenico.rejected), { type: "fail", reason: "INVALID_PARES_OR_NOT_COMPLETED", retryable: false }, "ingenico rejected");
    const method = lib.nextAction("shift4", fx.shift4.fingerprint, { methodNotificationUrl: "https://shop.example/3ds/method" });
    equal([method.type, method.methodUrl, method.threeDSServerTransID], ["method", "https://acs.example/method", SHIFT4_ID], "shift4 H");
    equal(lib.decodeMethodData(method.threeDSMethodData), { threeDSServerTransID: SHIFT4_ID, threeDSMethodNotificationURL: "https://shop.example/3ds/method" }, "shift4 method data");
    equal(lib.nextAction("shift4", fx.shift4.challenge).type, "redirect", "shift4 G");
    equal(lib.nextAction("shift4", fx.shift4.frictionless).detail, { cryptogram: "Qm181okmdyqh6yQmYuq1890QAAA=", eci: "05", trxId: "2bf0e02b-ffb2-4388-9d4c-c2640cc10b9b" }, "shift4 A");
    equal(lib.nextAction("shift4", fx.shift4.declined).type, "fail", "shift4 D");
    equal(lib.nextAction("acquired", fx.acquired.pending, { challengeWindowSize: "02" }), { type: "redirect", url: "https://auth.acquired.com/a7e3fde5-5b83-44f4-9915-782bc7121717", method: "GET", fields: {}, iframeAllowed: true, challengeWindowSize: "02" }, "acquired pending");
    equal(lib.nextAction("acquired", fx.acquired.notEnrolled), { type: "fail", reason: "card_not_enrolled", retryable: false }, "acquired not enrolled");
    equal(lib.nextAction("veritrans", fx.veritrans.authorizeWithHtml).type, "html", "veritrans html");
    equal(lib.nextAction("veritrans", fx.veritrans.companyRisk).detail.riskBearer, "card_company", "veritrans company risk");
    throwsThreeDs(() => lib.nextAction("komoju", { verification_status: "WEIRD" }), "unknown_status", "verification_status", "unknown status");
    throwsThreeDs(() => lib.nextAction("shift4", { result: [{ transaction: {} }] }), "missing_field", "responseCode", "malformed");
    throwsThreeDs(() => lib.nextAction("acquired", { status: "tds_pending", links: [] }), "missing_field", "links", "no tds link");
    throwsThreeDs(() => lib.nextAction("stripe", {}), "unknown_provider", "provider", "unknown provider");
    throwsThreeDs(() => lib.nextAction("komoju", "NEEDS_VERIFY"), "invalid_field", "response", "not an object");
  }],
  ["providers: parseReturn normalises every return shape, and detects the provider", (lib, fx) => {
    const shift4 = lib.parseReturn({ method: "GET", url: `/done?j=${fx.shift4.j}` });
    equal([shift4.provider, shift4.outcome, shift4.eci, shift4.trusted, shift4.verifyWithServer], ["shift4", "authenticated", "05", false, true], "shift4");
    const acquired = lib.parseReturn({ method: "POST", url: "/r", body: new URLSearchParams(fx.acquired.redirect).toString(), contentType: "application/x-www-form-urlencoded" }, { keys: { acquiredAppKey: fx.acquired.appKey } });
    equal([acquired.provider, acquired.outcome, acquired.trusted, acquired.verifyWithServer], ["acquired", "authenticated", true, false], "acquired");
    const komoju = lib.parseReturn({ method: "GET", url: "https://shop.example/complete?secure_token_id=tok_1" });
    equal([komoju.provider, komoju.outcome, komoju.verifyWithServer], ["komoju", "pending", true], "komoju");
    const ingenico = lib.parseReturn({ method: "GET", url: "/r?REF=1&RETURNMAC=abc" }, { keys: { ingenicoReturnMac: "abc" }, expectedOrderId: "1" });
    equal([ingenico.provider, ingenico.trusted, ingenico.verifyWithServer], ["ingenico", true, true], "ingenico");
    const emv = lib.parseReturn({ method: "POST", url: "/n", body: `cres=${encodeURIComponent(standardBase64(cresJson({ transStatus: "N" })))}`, contentType: "application/x-www-form-urlencoded" }, { expectedThreeDSServerTransID: ID });
    equal([emv.provider, emv.outcome, emv.transStatus], ["emv", "not_authenticated", "N"], "emv");
    throwsThreeDs(() => lib.parseReturn({ method: "POST", url: "/r", body: new URLSearchParams({ ...fx.acquired.redirect, order_id: "other" }).toString() }, { keys: { acquiredAppKey: fx.acquired.appKey } }), "integrity_failed", "hash", "tampered");
    throwsThreeDs(() => lib.parseReturn({ method: "GET", url: "/r?hello=1" }), "unknown_provider", "provider", "unknown");
    throwsThreeDs(() => lib.parseReturn({ method: "POST", url: "/n", body: `cres=${encodeURIComponent(standardBase64(cresJson()))}` }, { expectedThreeDSServerTransID: ACS_ID }), "invalid_field", "threeDSServerTransID", "another transaction");
    throwsThreeDs(() => lib.parseReturn({ method: "GET" }), "missing_field", "url", "no url");
  }],
  ["integrity checks and interpretation", (lib, fx) => {
    equal(lib.verifyAcquiredRedirect(fx.acquired.redirect, fx.acquired.appKey), true, "seed hash");
    equal(lib.verifyAcquiredRedirect(new URLSearchParams(fx.acquired.redirect).toString(), fx.acquired.appKey), true, "as a form body");
    equal(lib.verifyAcquiredRedirect({ ...fx.acquired.redirect, timestamp: "1657183951" }, fx.acquired.appKey), false, "tampered");
    throwsThreeDs(() => lib.verifyAcquiredRedirect({ status: "executed" }, "k"), "missing_field", "transaction_id", "incomplete");
    equal(lib.verifyIngenicoReturnMac("abc", "abc"), true, "mac");
    equal(lib.verifyIngenicoReturnMac("abc", "abd"), false, "mac mismatch");
    equal(lib.interpretVresultCode("GE110000", "mpi-complete").paymentMayProceed, false, "GE11");
    equal(lib.interpretVresultCode("G003A00100000000", "mpi-company").riskBearer, "card_company", "G003");
    throwsThreeDs(() => lib.interpretVresultCode("G011", "mpi-turbo"), "invalid_field", "serviceOptionType", "service");
    equal(lib.liabilityShift({ brand: "visa", cardType: "consumer", eci: "05", cavvPresent: false, region: "US" }).liabilityShift, "no", "visa US");
    equal(lib.liabilityShift({ brand: "mastercard", cardType: "consumer", eci: "02", cavvPresent: true }).liabilityShift, "yes", "mc");
    throwsThreeDs(() => lib.liabilityShift({ brand: "unionpay", cardType: "consumer", cavvPresent: false }), "invalid_field", "brand", "brand");
  }],
  ["errors: a catalogue of bad input, each a typed ThreeDsError naming the field", (lib) => {
    const big = "A".repeat(200 * 1024);
    const bad = [
      ["decodeCres", undefined, "missing_field", "cres"],
      ["decodeCres", "", "missing_field", "cres"],
      ["decodeCres", 42, "invalid_field", "cres"],
      ["decodeCres", { cres: "x" }, "invalid_field", "cres"],
      ["decodeCres", "***", "invalid_base64", "cres"],
      ["decodeCres", "eyJh", "invalid_json", "cres"],
      ["decodeCres", standardBase64("[1,2]"), "invalid_json", "cres"],
      ["decodeCres", standardBase64('"CRes"'), "invalid_json", "cres"],
      ["decodeCres", big, "too_large", "cres"],
      ["decodeCres", standardBase64(cresJson({ transStatus: "Z" })), "invalid_field", "transStatus"],
      ["decodeCres", standardBase64(cresJson({ transStatus: null })), "missing_field", "transStatus"],
      ["decodeCres", standardBase64(cresJson({ messageType: "CReq" })), "invalid_field", "messageType"],
      ["decodeCres", standardBase64(cresJson({ acsTransID: "not-a-uuid" })), "invalid_field", "acsTransID"],
      ["decodeCres", standardBase64(cresJson({ threeDSServerTransID: 5 })), "invalid_field", "threeDSServerTransID"],
      ["decodeCres", standardBase64(cresJson({ challengeCompletionInd: "maybe" })), "invalid_field", "challengeCompletionInd"],
      ["decodeCres", standardBase64(cresJson({ messageExtension: {} })), "invalid_field", "messageExtension"],
      ["decodeCres", standardBase64(JSON.stringify({ messageType: "Erro", errorCode: "4020", errorComponent: "A", errorDescription: "x" })), "invalid_field", "errorCode"],
      ["decodeCres", standardBase64(JSON.stringify({ messageType: "Erro", errorCode: "402", errorComponent: "X", errorDescription: "x" })), "invalid_field", "errorComponent"],
      ["decodeCres", standardBase64(JSON.stringify({ messageType: "Erro", errorCode: "402", errorComponent: "A", errorDescription: "x", errorDetail: "d".repeat(2049) })), "invalid_field", "errorDetail"],
      ["decodeCreq", lib.encodeMethodData({ threeDSServerTransID: ID, threeDSMethodNotificationURL: "https://m.example/n" }), "missing_field", "messageType"],
      ["decodeMethodData", standardBase64("{}"), "missing_field", "threeDSServerTransID"],
      ["decodeMethodNotification", big, "too_large", "threeDSMethodData"],
      ["encodeMethodData", null, "invalid_field", "methodData"],
      ["encodeMethodData", { threeDSServerTransID: "123", threeDSMethodNotificationURL: "https://m.example/n" }, "invalid_field", "threeDSServerTransID"],
      ["encodeMethodData", { threeDSServerTransID: ID }, "missing_field", "threeDSMethodNotificationURL"],
      ["encodeMethodData", { threeDSServerTransID: ID, threeDSMethodNotificationURL: `https://m.example/${"a".repeat(300)}` }, "invalid_field", "threeDSMethodNotificationURL"],
      ["encodeCreq", creqInput({ challengeWindowSize: "06" }), "invalid_field", "challengeWindowSize"],
      ["encodeCreq", creqInput({ challengeWindowSize: 2 }), "invalid_field", "challengeWindowSize"],
      ["encodeCreq", creqInput({ messageVersion: "3.0.0" }), "invalid_field", "messageVersion"],
      ["encodeCreq", creqInput({ acsTransID: undefined }), "missing_field", "acsTransID"],
      ["encodeCreq", creqInput({ messageExtension: Array.from({ length: 11 }, (_, i) => extension(i)) }), "invalid_field", "messageExtension"],
      ["encodeCreq", creqInput({ messageExtension: [{ ...extension(0), criticalityIndicator: "yes" }] }), "invalid_field", "criticalityIndicator"],
      ["challengeWindowSize", "6", "invalid_field", "challengeWindowSize"],
      ["challengeWindowSize", undefined, "missing_field", "challengeWindowSize"],
      ["inspectPayload", "hello, world", "invalid_base64", "payload"],
      ["inspectPayload", "cres=%%%&threeDSSessionData=x", "invalid_base64", "cres"],
    ];
    for (const [fn, input, code, field] of bad) throwsThreeDs(() => lib[fn](input), code, field, `${fn}(${JSON.stringify(input)?.slice(0, 60)})`);
    // Inputs no JSON can hold: typed errors, never a stack overflow inside the module.
    const cyclic = { threeDSServerTransID: ID };
    cyclic.self = cyclic;
    throwsThreeDs(() => lib.encodeMethodData(cyclic), "invalid_field", "methodData", "cyclic object");
    throwsThreeDs(() => lib.encodeCreq(creqInput({ messageExtension: [{ ...extension(0), data: 10n }] })), "invalid_field", "creq", "BigInt");
    const deep = JSON.parse(`${"[".repeat(5000)}${"]".repeat(5000)}`);
    throwsThreeDs(() => lib.encodeSessionData(deep), "invalid_field", "state", "deep nesting");
    throwsThreeDs(() => lib.encodeSessionData({ blob: "x".repeat(2 * 1024 * 1024) }), "too_large", "state", "huge state");
    equal(lib.encodeMethodData({ threeDSServerTransID: ID, threeDSMethodNotificationURL: "https://m.example/n", extra: () => 1 }).length > 0, true, "functions are ignored");
  }],
];

/** Runs every case against `lib` (with the provider fixtures); resolves to [{ name, error }], error null for a pass. */
cases.push(...attacks);

export async function runAll(lib, fixtures) {
  const results = [];
  for (const [name, run] of cases) {
    try {
      await run(lib, fixtures);
      results.push({ name, error: null });
    } catch (e) {
      results.push({ name, error: String(e?.stack ?? e) });
    }
  }
  return results;
}
