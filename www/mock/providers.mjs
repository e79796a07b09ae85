// Mock versions of the five providers: their API responses (shapes from the seed documents) as the merchant
// server receives them, and their hosted authentication pages on the ACS origin, which end by sending the
// customer back to the merchant's return URL the way each provider does. Signatures use Node's crypto with
// demo keys that, in real life, only the merchant server or edge would hold.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { autoPost, escapeHtml, html, json, readBody, send } from "./http.mjs";

export const DEMO_KEYS = { acquiredAppKey: "demo-app-key", veritransMerchantCcId: "A100000000000001", veritransMerchantPassword: "demo-password" };

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/** The provider's page where the customer proves it is them (same test passwords as the ACS). */
function bankPage(title, action, hidden) {
  const inputs = Object.entries(hidden).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join("");
  return `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui;margin:16px;background:#f3f0fa}</style><h1 style="font-size:16px">${escapeHtml(title)}</h1>
<p>One-time password: <b>123456</b> passes, <b>111111</b> fails.</p>
<form method="POST" action="${escapeHtml(action)}">${inputs}<input name="otp" id="otp"><button id="submit">Submit</button></form>`;
}

const withParams = (url, params) => `${url}${url.includes("?") ? "&" : "?"}${new URLSearchParams(params)}`;

export function providerRoutes({ lib, merchantOrigin, acsOrigin, log }) {
  const sessions = new Map();

  /** What the merchant server passes to parseReturn: only this provider's keys, and for Ingenico the RETURNMAC
   * and payment it stored when it created the payment (found here by the returned REF, standing in for the
   * merchant's own session store). */
  function returnOptions(provider, url) {
    if (provider === "acquired") return { provider, keys: { acquiredAppKey: DEMO_KEYS.acquiredAppKey } };
    if (provider === "veritrans") {
      const { veritransMerchantCcId, veritransMerchantPassword } = DEMO_KEYS;
      return { provider, keys: { veritransMerchantCcId, veritransMerchantPassword } };
    }
    if (provider === "ingenico") {
      const stored = [...sessions.values()].find((s) => s.ref && s.ref === url.searchParams.get("REF"));
      if (stored) return { provider, keys: { ingenicoReturnMac: stored.returnMac }, expectedOrderId: stored.ref };
    }
    return { provider };
  }
  const returnUrl = (provider) => `${merchantOrigin}/return/${provider}?demo=1`;

  /** Merchant side: what the provider's API answers when the merchant server starts a payment. */
  async function merchant(req, res, url) {
    const start = /^\/api\/provider\/(komoju|veritrans|ingenico|shift4|acquired)\/start$/.exec(url.pathname);
    if (req.method === "POST" && start) {
      const provider = start[1];
      const id = randomUUID();
      const session = { id, provider };
      sessions.set(id, session);
      let response;
      if (provider === "komoju") {
        response = { secure_token: `tok_${id.replaceAll("-", "").slice(0, 24)}`, verification_status: "NEEDS_VERIFY", authentication_url: `${acsOrigin}/komoju/offsite?token=${id}` };
      } else if (provider === "veritrans") {
        session.requestId = `req-${id.slice(0, 8)}`;
        session.orderId = `order-${id.slice(0, 8)}`;
        const document = autoPost(`${acsOrigin}/veritrans/auth`, { PaReq: randomBytes(12).toString("base64"), MD: id, TermUrl: returnUrl("veritrans") });
        response = { mstatus: "success", vResultCode: "G001000000000000", serviceOptionType: "mpi-complete", orderId: session.orderId, resResponseContents: document };
      } else if (provider === "ingenico") {
        session.ref = `0000000001${Date.now()}`.slice(0, 30);
        session.returnMac = randomBytes(32).toString("base64");
        response = {
          creationOutput: { externalReference: session.ref },
          merchantAction: { actionType: "REDIRECT", redirectData: { RETURNMAC: session.returnMac, redirectURL: `${acsOrigin}/ingenico/orb?ACTION=DO_START&REF=${session.ref}&id=${id}` } },
          payment: { id: session.ref, status: "REDIRECTED", statusOutput: { statusCategory: "PENDING_PAYMENT", statusCode: 20 } },
        };
      } else if (provider === "shift4") {
        session.trxId = id;
        response = { result: [{ transaction: { responseCode: "H", invoice: "1625" }, threeDSecure: { trxId: id, redirectUrl: `${acsOrigin}/acs/method?delay=200` } }] };
      } else {
        session.orderId = `order-${id.slice(0, 8)}`;
        response = { transaction_id: id, status: "tds_pending", links: [{ rel: "self", href: `/v1/transactions/${id}` }, { rel: "tds", href: `${acsOrigin}/acquired/auth/${id}` }] };
      }
      log(`${provider}: payment started, API answered ${JSON.stringify(response).slice(0, 80)}…`);
      return json(res, 200, { sessionId: id, response });
    }

    if (req.method === "POST" && url.pathname === "/api/provider/shift4/complete") {
      // Shift4's 3D Secure Completion request, after the device fingerprint: the issuer asks for a challenge.
      const { trxId, compInd } = JSON.parse((await readBody(req)) || "{}");
      const session = sessions.get(trxId);
      if (!session) return json(res, 404, { message: "unknown trxId" });
      session.compInd = compInd;
      return json(res, 200, { response: { result: [{ transaction: { responseCode: "G" }, threeDSecure: { trxId, redirectUrl: `${acsOrigin}/shift4/challenge?trxId=${trxId}` } }] } });
    }

    const back = /^\/return\/(komoju|veritrans|ingenico|shift4|acquired)$/.exec(url.pathname);
    if (back) {
      // The merchant's return URL: normalise with the package, keys from the server, keep the result server-side.
      const provider = back[1];
      const body = req.method === "POST" ? await readBody(req) : "";
      let result;
      try {
        result = lib.parseReturn({ method: req.method, url: req.url, body, contentType: req.headers["content-type"] }, returnOptions(provider, url));
      } catch (error) {
        result = { provider, error: { code: error.code, message: error.message } };
      }
      const id = randomUUID();
      sessions.set(`result-${id}`, result);
      log(`${provider}: return normalised: ${result.outcome ?? result.error?.code}`);
      return send(res, 303, "", { location: `/providers.html?returned=${id}` });
    }

    if (req.method === "GET" && url.pathname === "/api/provider/result") {
      const result = sessions.get(`result-${url.searchParams.get("id")}`);
      return result ? json(res, 200, result) : json(res, 404, { message: "unknown result" });
    }
    return false;
  }

  /** ACS-origin side: the providers' hosted authentication pages. */
  async function hosted(req, res, url) {
    const path = url.pathname;
    const passed = async () => new URLSearchParams(await readBody(req)).get("otp") === "123456";

    if (path === "/komoju/offsite") {
      const id = url.searchParams.get("token");
      if (req.method === "GET") return html(res, bankPage("KOMOJU test bank", `/komoju/offsite?token=${encodeURIComponent(id)}`, {}));
      const ok = await passed();
      // KOMOJU keeps the return_url's own query and adds secure_token_id; the outcome is read from the API.
      sessions.get(id).verification = ok ? "OK" : "ERRORED";
      return send(res, 303, "", { location: withParams(returnUrl("komoju"), { secure_token_id: `tok_${id.replaceAll("-", "").slice(0, 24)}` }) });
    }

    if (path === "/veritrans/auth" && req.method === "POST") {
      const form = new URLSearchParams(await readBody(req));
      if (form.has("PaReq")) return html(res, bankPage("VeriTrans4G card company", "/veritrans/auth", { MD: form.get("MD") }));
      const session = sessions.get(form.get("MD"));
      const ok = form.get("otp") === "123456";
      const fields = { RequestId: session.requestId, OrderId: session.orderId, mpiMstatus: ok ? "success" : "failure", vResultCode: ok ? "G011A00100000000" : "GE11000000000000", cardMstatus: ok ? "success" : "" };
      const names = Object.keys(fields);
      const signed = { ...fields, authParams: Buffer.from(names.join(",")).toString("base64"), vAuthInfo: sha256(DEMO_KEYS.veritransMerchantCcId + names.map((n) => fields[n]).join("") + DEMO_KEYS.veritransMerchantPassword) };
      return html(res, autoPost(returnUrl("veritrans"), signed));
    }

    if (path === "/ingenico/orb") {
      const id = url.searchParams.get("id");
      if (req.method === "GET") return html(res, bankPage("Ingenico 3-D Secure", `/ingenico/orb?id=${encodeURIComponent(id)}`, {}));
      const session = sessions.get(id);
      session.authenticated = await passed();
      // Ingenico appends its own pairs to the returnUrl's query.
      return send(res, 303, "", { location: withParams(returnUrl("ingenico"), { REF: session.ref, RETURNMAC: session.returnMac }) });
    }

    if (path === "/shift4/challenge") {
      const trxId = url.searchParams.get("trxId");
      if (req.method === "GET") return html(res, bankPage("Shift4 issuer", `/shift4/challenge?trxId=${encodeURIComponent(trxId)}`, {}));
      const ok = await passed();
      const j = { result: [{ transaction: { invoice: "1625", responseCode: ok ? "A" : "D" }, threeDSecure: ok ? { trxId, cryptogram: randomBytes(20).toString("base64"), ecommIndicator: "5", version: "2.2.0" } : { trxId } }] };
      return send(res, 303, "", { location: withParams(returnUrl("shift4"), { j: Buffer.from(JSON.stringify(j)).toString("base64") }) });
    }

    const acquired = /^\/acquired\/auth\/([0-9a-f-]{36})$/.exec(path);
    if (acquired) {
      const id = acquired[1];
      if (req.method === "GET") return html(res, bankPage("Acquired.com authentication", path, {}));
      const session = sessions.get(id);
      const ok = await passed();
      const fields = { status: ok ? "success" : "tds_failed", transaction_id: id, order_id: session.orderId, timestamp: String(Math.floor(Date.now() / 1000)) };
      const hash = sha256(sha256(fields.status + fields.transaction_id + fields.order_id + fields.timestamp) + DEMO_KEYS.acquiredAppKey);
      return html(res, autoPost(returnUrl("acquired"), { ...fields, ...(ok ? {} : { reason: "low_confidence" }), hash }));
    }
    return false;
  }

  return { merchant, hosted };
}
