// The demo checkout: method -> AReq on the merchant server -> challenge -> result, with a timeline.
// Everything shown is built with textContent; results come from the package, never from markup.
import { collectBrowserInfo, runChallenge, runMethod } from "/pkg/browser.js";

const $ = (id) => document.getElementById(id);
let controller = null;
let started = 0;

function step(text, kind = "") {
  const item = document.createElement("li");
  item.textContent = `${String(Math.round(performance.now() - started)).padStart(6)} ms  ${text}`;
  if (kind) item.className = kind;
  $("timeline").append(item);
}

function outcome(text, kind) {
  $("outcome").textContent = text;
  $("outcome").className = kind;
}

async function post(path, body) {
  const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function describe(result) {
  return result.messageType === "CRes" ? `CRes transStatus ${result.transStatus}` : `Erro ${result.errorCode} (${result.errorComponent}): ${result.errorDescription}`;
}

async function pay(event) {
  event.preventDefault();
  controller?.abort();
  controller = new AbortController();
  const { signal } = controller;
  $("timeline").replaceChildren();
  outcome("", "");
  started = performance.now();
  const scenario = $("scenario").value;
  const size = $("size").value;
  try {
    const prepared = await post("/api/3ds/prepare", { scenario });
    step(`3DS Server transaction ${prepared.threeDSServerTransID}`);
    step(prepared.methodUrl ? "3DS Method: posting threeDSMethodData to the ACS in a hidden iframe" : "3DS Method: no method URL for this card");
    if (scenario === "abort") setTimeout(() => controller.abort(), 1500);
    const method = await runMethod({ methodUrl: prepared.methodUrl, threeDSServerTransID: prepared.threeDSServerTransID, notificationUrl: prepared.notificationUrl, signal });
    step(`3DS Method done: compInd ${method.compInd} after ${Math.round(method.elapsedMs)} ms`);
    const ares = await post("/api/3ds/authenticate", { threeDSServerTransID: prepared.threeDSServerTransID, compInd: method.compInd, browserInfo: collectBrowserInfo(), challengeWindowSize: size });
    step(`AReq sent by the merchant server; ARes transStatus ${ares.transStatus}`);
    if (ares.transStatus !== "C") {
      outcome(ares.transStatus === "Y" ? `Authenticated without a challenge (ECI ${ares.eci})` : `Not authenticated (transStatus ${ares.transStatus})`, ares.transStatus === "Y" ? "good" : "bad");
      return;
    }
    step(ares.mode === "redirect" ? "Challenge: redirecting the whole page to the ACS" : `Challenge: iframe, window size ${size}`);
    const result = await runChallenge({
      acsUrl: ares.acsURL, threeDSServerTransID: ares.threeDSServerTransID, acsTransID: ares.acsTransID, messageVersion: ares.messageVersion,
      challengeWindowSize: size, threeDSSessionData: ares.threeDSSessionData, notificationUrl: ares.notificationUrl, mode: ares.mode,
      fitToContainer: $("fit").checked, container: $("challenge"), signal,
    });
    if (result.mode === "redirect") return;
    step(`Challenge done: ${describe(result)}`);
    outcome(result.transStatus === "Y" ? "Authenticated after the challenge (the server confirms with the RReq before shipping)" : describe(result), result.transStatus === "Y" ? "good" : "bad");
  } catch (error) {
    step(`${error.name} ${error.code ?? ""}: ${error.message}`, "bad");
    outcome(error.code === "aborted" ? "Aborted; nothing left behind" : "Failed", "bad");
  }
}

async function showReturn(id) {
  started = performance.now();
  const { result, session } = await (await fetch(`/api/3ds/result?id=${encodeURIComponent(id)}`)).json();
  step(`Returned from the ACS (redirect mode); session data ${JSON.stringify(session)}`);
  if (result) {
    step(`Challenge done: ${describe(result)}`);
    outcome(result.transStatus === "Y" ? "Authenticated after the challenge (redirect)" : describe(result), result.transStatus === "Y" ? "good" : "bad");
  }
}

$("options").addEventListener("submit", pay);
$("abort").addEventListener("click", () => controller?.abort());
const returned = new URLSearchParams(location.search).get("returned");
if (returned) showReturn(returned);
document.body.dataset.ready = "true";
