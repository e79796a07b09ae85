// The merchant's side of the demo: its pages (under a strict CSP with Trusted Types), a mock 3DS Server API
// (prepare, authenticate, result) and the notification URLs, answered with the package's own responder.
import { randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import { html, json, readBody, send, serveFile } from "./http.mjs";

export const PAGE_CSP = "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

/** What each demo scenario does: the method URL's behaviour, the ARes, the ACS's answer to the challenge. */
export const SCENARIOS = {
  frictionless: { method: "fast", ares: "Y" },
  "method-times-out": { method: "never", ares: "Y" },
  "no-method-url": { method: "none", ares: "Y" },
  challenge: { method: "fast", ares: "C" },
  erro: { method: "none", ares: "C", acs: "erro" },
  garbled: { method: "none", ares: "C", acs: "garbled" },
  redirect: { method: "fast", ares: "C", mode: "redirect" },
  "not-authenticated": { method: "fast", ares: "N" },
  abort: { method: "never", ares: "Y" },
};

export function merchantRoutes({ lib, transactions, merchantOrigin, acsOrigin, wwwDir, pkgDir, log }) {
  const find = (id) => transactions.get(String(id ?? "").toLowerCase());

  async function respond(req, res, onResult) {
    const nonce = randomBytes(16).toString("base64");
    try {
      const body = await readBody(req);
      const { result, html: page } = lib.respondToNotification({ body, contentType: req.headers["content-type"] }, { targetOrigin: merchantOrigin, nonce });
      onResult?.(result);
      html(res, page, { "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'` });
    } catch (error) {
      log(`merchant: notification refused: ${error.code} ${error.message}`);
      json(res, error.status ?? 400, { code: error.code ?? "bad_request", message: error.message });
    }
  }

  return async function handle(req, res, url) {
    const path = url.pathname;
    if (req.method === "POST" && path === "/api/3ds/prepare") {
      const { scenario = "frictionless", methodQuery = "" } = JSON.parse((await readBody(req)) || "{}");
      const plan = SCENARIOS[scenario];
      if (!plan) return json(res, 400, { message: `unknown scenario ${scenario}` });
      const tx = { threeDSServerTransID: randomUUID(), scenario: plan.acs ?? scenario, plan, createdAt: performance.now() };
      transactions.set(tx.threeDSServerTransID, tx);
      const query = new URLSearchParams({ delay: plan.method === "never" ? "never" : "300" });
      for (const [key, value] of new URLSearchParams(methodQuery)) query.set(key, value);
      const methodUrl = plan.method === "none" ? null : `${acsOrigin}/acs/method?${query}`;
      log(`3DS server: prepared ${tx.threeDSServerTransID} (${scenario})`);
      return json(res, 200, { threeDSServerTransID: tx.threeDSServerTransID, methodUrl, notificationUrl: `${merchantOrigin}/3ds/method-notification` });
    }

    if (req.method === "POST" && path === "/api/3ds/authenticate") {
      const request = JSON.parse((await readBody(req)) || "{}");
      const tx = find(request.threeDSServerTransID);
      if (!tx) return json(res, 404, { message: "unknown transaction" });
      // What the page cannot read, the server adds: the Accept header and the IP.
      tx.browserInfo = { ...request.browserInfo, ...lib.serverBrowserInfo({ acceptHeader: req.headers.accept, ip: req.socket.remoteAddress }) };
      tx.compInd = request.compInd;
      const mode = tx.plan.mode ?? request.mode ?? "iframe";
      log(`3DS server: AReq for ${tx.threeDSServerTransID}, compInd ${request.compInd}, ARes ${tx.plan.ares}`);
      if (tx.plan.ares !== "C") {
        const authenticated = tx.plan.ares === "Y";
        return json(res, 200, { transStatus: tx.plan.ares, eci: authenticated ? "05" : "07", authenticationValue: authenticated ? "AAABBEg0VhI0VniQEjRWAAAAAAA=" : undefined });
      }
      tx.acsTransID = randomUUID();
      tx.challengeNotificationUrl = `${merchantOrigin}/3ds/${mode === "redirect" ? "challenge-return" : "challenge-notification"}`;
      return json(res, 200, {
        transStatus: "C", acsURL: `${acsOrigin}/acs/challenge`, acsTransID: tx.acsTransID, messageVersion: "2.2.0",
        threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.challengeNotificationUrl, mode,
        threeDSSessionData: lib.encodeSessionData({ order: tx.threeDSServerTransID.slice(0, 8), mode }),
      });
    }

    if (req.method === "GET" && path === "/api/3ds/result") {
      const tx = find(url.searchParams.get("id"));
      return tx ? json(res, 200, { result: tx.result ?? null, session: tx.session ?? null }) : json(res, 404, { message: "unknown transaction" });
    }
    if (req.method === "GET" && path === "/api/3ds/timings") {
      const tx = find(url.searchParams.get("id"));
      return tx ? json(res, 200, { methodReceivedAt: tx.methodReceivedAt ?? null }) : json(res, 404, {});
    }

    if (req.method === "POST" && (path === "/3ds/method-notification" || path === "/3ds/challenge-notification")) {
      return respond(req, res, (result) => {
        log(`merchant: ${path} answered (${result.type})`);
      });
    }

    if (req.method === "POST" && path === "/3ds/challenge-return") {
      // Redirect mode: the ACS posts here at the top level. Decode, keep the result on the server, and send the
      // customer back to the checkout, which reads it from the server (never from the URL).
      try {
        const { result } = lib.respondToNotification({ body: await readBody(req), contentType: req.headers["content-type"] }, { targetOrigin: merchantOrigin });
        const tx = find(result.threeDSServerTransID);
        if (!tx) return json(res, 404, { message: "unknown transaction" });
        tx.result = result.message;
        tx.session = result.threeDSSessionData ? lib.decodeSessionData(result.threeDSSessionData) : null;
        log(`merchant: redirect return for ${tx.threeDSServerTransID}`);
        return send(res, 303, "", { location: `/checkout.html?returned=${encodeURIComponent(tx.threeDSServerTransID)}` });
      } catch (error) {
        return json(res, 400, { code: error.code, message: error.message });
      }
    }

    if (req.method === "GET" && path === "/vendor/globalpayments-3ds.js") {
      // The benchmark's peer, from the dev dependencies, served as a merchant would self-host it.
      if (serveFile(res, join(wwwDir, "..", "node_modules/globalpayments-3ds/dist"), "globalpayments-3ds.min.js", { "content-security-policy": PAGE_CSP })) return;
    }
    if (req.method === "GET") {
      const headers = { "content-security-policy": PAGE_CSP };
      if (path.startsWith("/pkg/") && serveFile(res, pkgDir, path.slice(5), headers)) return;
      if (!path.startsWith("/pkg/") && serveFile(res, wwwDir, path === "/" ? "index.html" : path.slice(1), headers)) return;
    }
    return false;
  };
}
