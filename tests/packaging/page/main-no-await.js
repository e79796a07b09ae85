// The same page with "threeds-kit/no-await" (no top-level await in the package): the functions once `ready`.
import { ready, runMethod } from "threeds-kit/no-await";

const params = new URLSearchParams(location.search);
const show = (result) => {
  window.result = result;
  document.getElementById("outcome").textContent = JSON.stringify(result);
};
ready
  .then(() => runMethod({ methodUrl: params.get("methodUrl"), threeDSServerTransID: params.get("id"), notificationUrl: params.get("notificationUrl") }))
  .then((r) => show({ compInd: r.compInd }), (e) => show({ error: `${e.name}: ${e.message}` }));
