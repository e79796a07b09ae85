// The mock ACS, on its own origin: a 3DS Method URL and a challenge with a one-time password, as an issuer's
// ACS behaves in the browser. Its pages are the ACS's, not the merchant's: they use inline scripts freely.
import { autoPost, escapeHtml, html, readBody, send } from "./http.mjs";

/**
 * Test hooks on the method URL (query): delay=ms (default 300) or delay=never; notifyId=<uuid> notifies for
 * another transaction; forge=1 first posts a perfect-looking result from the ACS origin (must be ignored);
 * drift=1 sends the ID under a misspelled key, as some ACSs do.
 */
export function acsRoutes({ lib, transactions, log }) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64"); // standard and padded, as many ACSs send

  return async function handle(req, res, url) {
    if (req.method === "POST" && url.pathname === "/acs/method") {
      const form = new URLSearchParams(await readBody(req));
      const data = lib.decodeMethodData(form.get("threeDSMethodData") ?? "");
      const tx = transactions.get(data.threeDSServerTransID.toLowerCase());
      // Wall-clock milliseconds with sub-millisecond precision, comparable with a page's timeOrigin + now().
      if (tx) tx.methodReceivedAt = performance.timeOrigin + performance.now();
      log(`ACS: method POST for ${data.threeDSServerTransID}`);
      const delay = url.searchParams.get("delay") ?? "300";
      const forged = { protocol: "threeds-kit/1", result: { type: "method", threeDSServerTransID: data.threeDSServerTransID } };
      const forge = url.searchParams.get("forge") ? `parent.postMessage(${JSON.stringify(forged)}, "*")` : "";
      if (delay === "never") return html(res, `<!doctype html><title>ACS</title><p>Fingerprinting, and never telling anyone.</p><script>${forge}</script>`);
      const id = url.searchParams.get("notifyId") ?? data.threeDSServerTransID;
      const payload = url.searchParams.get("drift") ? { threeDServerTransID: id } : { threeDSServerTransID: id };
      return html(res, autoPost(data.threeDSMethodNotificationURL, { threeDSMethodData: b64(payload) }, { delay: Number(delay), before: forge }));
    }

    if (req.method === "POST" && url.pathname === "/acs/challenge") {
      const form = new URLSearchParams(await readBody(req));
      const creq = lib.decodeCreq(form.get("creq") ?? "");
      const tx = [...transactions.values()].find((t) => t.acsTransID === creq.acsTransID);
      if (!tx) return send(res, 404, "unknown acsTransID");
      tx.creqWindowSize = creq.challengeWindowSize;
      tx.sessionData = form.get("threeDSSessionData") ?? "";
      log(`ACS: challenge CReq for ${creq.threeDSServerTransID}, window ${creq.challengeWindowSize}`);
      if (tx.scenario === "garbled") {
        // A broken ACS: its cres is not base64 at all.
        return html(res, autoPost(tx.challengeNotificationUrl, { cres: "<not base64!>", threeDSSessionData: tx.sessionData }, { delay: 200 }));
      }
      if (tx.scenario === "erro") {
        const erro = { messageType: "Erro", messageVersion: creq.messageVersion, errorCode: "402", errorComponent: "A",
          errorDescription: "Transaction timed out", errorDetail: "The cardholder did not answer", threeDSServerTransID: creq.threeDSServerTransID, acsTransID: creq.acsTransID };
        return html(res, autoPost(tx.challengeNotificationUrl, { cres: b64(erro), threeDSSessionData: tx.sessionData }, { delay: 200 }));
      }
      return html(res, `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Mock bank: verify it is you</title>
<style>body{font:14px system-ui;margin:12px;background:#eef3fb}input,button{font-size:16px;margin:4px 0}</style>
<h1 style="font-size:16px">Mock Bank</h1>
<p>Window ${escapeHtml(creq.challengeWindowSize)}. Enter the one-time password: <b>123456</b> passes, <b>111111</b> fails.</p>
<form method="POST" action="/acs/challenge/submit">
<input type="hidden" name="acsTransID" value="${escapeHtml(creq.acsTransID)}">
<input name="otp" id="otp" inputmode="numeric" autocomplete="one-time-code" autofocus>
<button id="submit">Submit</button></form>`);
    }

    if (req.method === "POST" && url.pathname === "/acs/challenge/submit") {
      const form = new URLSearchParams(await readBody(req));
      const tx = [...transactions.values()].find((t) => t.acsTransID === form.get("acsTransID"));
      if (!tx) return send(res, 404, "unknown acsTransID");
      const passed = form.get("otp") === "123456";
      const cres = { threeDSServerTransID: tx.threeDSServerTransID, acsTransID: tx.acsTransID, messageType: "CRes", messageVersion: "2.2.0",
        transStatus: passed ? "Y" : "N", challengeCompletionInd: "Y" };
      tx.acsOutcome = cres.transStatus;
      log(`ACS: one-time password ${passed ? "accepted" : "refused"}, posting cres`);
      return html(res, autoPost(tx.challengeNotificationUrl, { cres: b64(cres), threeDSSessionData: tx.sessionData }));
    }
    return false;
  };
}
