// Test pages on the ACS origin that are not part of any provider or ACS: a frame that tries to steal the flows'
// form POSTs, a hosted page that reports what it received, and one that tries to take over the top level. The
// end-to-end tests use them to attack and observe the package from another origin.
import { escapeHtml, html, readBody } from "./http.mjs";

export function probeRoutes({ merchantOrigin }) {
  return async function handle(req, res, url) {
    if (req.method === "GET" && url.pathname === "/probe/squatter") {
      // Another origin's frame (an ad, a widget) that names its own window the way the package's frames were
      // named, so that a form targeting that name would navigate it instead of the package's frame.
      const name = url.searchParams.get("name") ?? "";
      return html(res, `<!doctype html><meta charset="utf-8"><title>squatter</title><body data-name="${escapeHtml(name)}">
<script>window.name = document.body.dataset.name; parent.postMessage({ squatter: window.name }, "*");</script>`);
    }

    if (url.pathname === "/probe/echo") {
      // A provider's page that shows exactly what the browser sent it: method, content type, query, form fields.
      const body = req.method === "POST" ? await readBody(req) : "";
      const received = { method: req.method, contentType: req.headers["content-type"] ?? null, query: [...url.searchParams], fields: [...new URLSearchParams(body)] };
      return html(res, `<!doctype html><meta charset="utf-8"><title>received</title><pre id="received">${escapeHtml(JSON.stringify(received))}</pre>`);
    }

    if (req.method === "GET" && url.pathname === "/probe/leave") {
      // A hosted page that ends the flow at the top level: from the customer's click (as real hosted pages do),
      // or at once on load with auto=1 (which a sandbox without top navigation for scripts must refuse).
      const to = `${merchantOrigin}/harness.html?left=${encodeURIComponent(url.searchParams.get("how") ?? "click")}`;
      const auto = url.searchParams.get("auto") === "1";
      return html(res, `<!doctype html><meta charset="utf-8"><title>leaving</title><body data-to="${escapeHtml(to)}" data-auto="${auto}">
<p id="status">waiting</p><button id="finish">Back to the shop</button>
<script>
function leave(how) {
  const status = document.getElementById("status");
  try {
    top.location.href = document.body.dataset.to;
    status.textContent = how + ": asked";
  } catch (e) {
    status.textContent = how + ": refused (" + e.name + ")";
  }
}
document.getElementById("finish").addEventListener("click", () => leave("click"));
if (document.body.dataset.auto === "true") leave("auto");
</script>`);
    }
    return false;
  };
}
