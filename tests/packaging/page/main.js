// The page's module, as a checkout imports the package: the 3DS Method of the transaction in the query
// (methodUrl, id, notificationUrl, from the mock 3DS Server), its compInd (or the error) in window.result.
import { runMethod } from "threeds-kit";

const params = new URLSearchParams(location.search);
const show = (result) => {
  window.result = result;
  document.getElementById("outcome").textContent = JSON.stringify(result);
};
runMethod({ methodUrl: params.get("methodUrl"), threeDSServerTransID: params.get("id"), notificationUrl: params.get("notificationUrl") })
  .then((r) => show({ compInd: r.compInd }), (e) => show({ error: `${e.name}: ${e.message}` }));
