// The provider walk-through: start -> nextAction -> perform -> (provider pages) -> return -> parseReturn.
import { nextAction, perform } from "/pkg/browser.js";

const $ = (id) => document.getElementById(id);

// The flow leaves the page and comes back: the timeline survives in sessionStorage, times from the first step.
const log = JSON.parse(sessionStorage.getItem("threeds-kit-timeline") ?? "[]");

function show({ at, text, kind }) {
  const item = document.createElement("li");
  item.textContent = `${String(Math.round(at)).padStart(6)} ms  ${text}`;
  if (kind) item.className = kind;
  $("timeline").append(item);
}

function step(text, kind = "") {
  const origin = log.length ? log[0].epoch : Date.now();
  const entry = { epoch: origin, at: Date.now() - origin, text, kind };
  log.push(entry);
  sessionStorage.setItem("threeds-kit-timeline", JSON.stringify(log));
  show(entry);
}

async function post(path, body) {
  const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

async function run(action, provider) {
  step(`nextAction: ${action.type}${action.url ? ` -> ${action.url}` : ""}`);
  const performed = await perform(action, { notificationUrl: `${location.origin}/3ds/method-notification` });
  step(`perform: ${performed.type}${performed.compInd ? ` (compInd ${performed.compInd} after ${Math.round(performed.elapsedMs)} ms)` : ""}`);
  return performed;
}

async function pay(event) {
  event.preventDefault();
  $("timeline").replaceChildren();
  $("result").textContent = "";
  log.length = 0;
  const provider = $("provider").value;
  try {
    const { response } = await post(`/api/provider/${provider}/start`);
    step(`${provider} API response received by the merchant server`);
    let action = nextAction(provider, response, { methodNotificationUrl: `${location.origin}/3ds/method-notification` });
    const performed = await run(action, provider);
    if (provider === "shift4" && action.type === "method") {
      const completion = await post("/api/provider/shift4/complete", { trxId: action.threeDSServerTransID, compInd: performed.compInd });
      step("3D Secure Completion sent by the merchant server");
      action = nextAction("shift4", completion.response);
      await run(action, provider);
    }
  } catch (error) {
    step(`${error.name} ${error.code ?? ""}: ${error.message}`, "bad");
  }
}

async function showReturn(id) {
  const result = await (await fetch(`/api/provider/result?id=${encodeURIComponent(id)}`)).json();
  step(`returned to the merchant; parseReturn on the server: ${result.outcome ?? result.error?.code}`, result.outcome === "authenticated" ? "good" : "");
  $("result").textContent = JSON.stringify(result, null, 2);
  document.body.dataset.returned = result.provider;
}

$("options").addEventListener("submit", pay);
const returned = new URLSearchParams(location.search).get("returned");
if (returned) {
  log.forEach(show);
  showReturn(returned);
} else {
  log.length = 0;
  sessionStorage.removeItem("threeds-kit-timeline");
}
document.body.dataset.ready = "true";
