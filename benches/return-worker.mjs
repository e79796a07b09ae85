// The edge benchmark inside workerd: parseReturnRequest with Acquired's integrity check, next to the same
// parsing in plain JS with WebCrypto. /loop?impl=wasm|js&n=N parses N requests and answers a checksum.
import { parseReturn, parseReturnRequest, verifyAcquiredRedirect } from "threeds-kit";

const APP_KEY = "app_key";
// Acquired.com's own worked example (seed document).
const BODY = "status=executed&transaction_id=1970f4e1-95da-4859-b275-e9ac83f05eb1&order_id=your_unique_reference_1&timestamp=1657183950&hash=4e7e127a6ab8e7c4d73100e0c959eb42e1d61adff6b641c6ea7e4690e44cbff0";
const OUTCOMES = { success: "authenticated", executed: "authenticated", declined: "rejected", blocked: "rejected", tds_failed: "not_authenticated", tds_error: "error", tds_expired: "error", tds_pending: "pending" };

const encoder = new TextEncoder();
const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

async function plainParse(request, appKey) {
  const form = new URLSearchParams(await request.text());
  const get = (name) => form.get(name) ?? "";
  for (const name of ["status", "transaction_id", "order_id", "timestamp", "hash"]) if (!get(name)) throw new Error(`${name} is required`);
  const outcome = OUTCOMES[get("status")];
  if (!outcome) throw new Error("unknown status");
  const inner = hex(await crypto.subtle.digest("SHA-256", encoder.encode(get("status") + get("transaction_id") + get("order_id") + get("timestamp"))));
  const expected = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(inner + appKey)));
  const given = get("hash").toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) throw new Error("hash does not match");
  let difference = 0;
  for (let i = 0; i < 32; i++) difference |= expected[i] ^ parseInt(given.slice(i * 2, i * 2 + 2), 16);
  if (difference !== 0) throw new Error("hash does not match");
  return { provider: "acquired", outcome, trusted: true, verifyWithServer: false, ids: { transactionId: get("transaction_id"), orderId: get("order_id") }, reason: form.get("reason") ?? get("status"), raw: Object.fromEntries(form) };
}

const wasmParse = (request, appKey) => parseReturnRequest(request, { provider: "acquired", keys: { acquiredAppKey: appKey } });

// The parts of wasmParse alone, to see where its time goes: reading the body, and the wasm work on a body
// already read (options and request crossing into wasm, form parsing, the two SHA-256, the result crossing
// back), and the integrity check alone.
const PARTS = {
  text: async (request) => ({ trusted: (await request.text()).length > 0 }),
  parse: async (request, appKey) =>
    parseReturn({ method: "POST", url: request.url, body: BODY, contentType: "application/x-www-form-urlencoded" }, { provider: "acquired", keys: { acquiredAppKey: appKey } }),
  verify: async (request, appKey) => ({ trusted: verifyAcquiredRedirect(BODY, appKey) }),
};

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/first") return Response.json(await wasmParse(makeRequest(), APP_KEY));
    const n = Number(url.searchParams.get("n") ?? 0);
    const impl = url.searchParams.get("impl");
    const parse = impl === "js" ? plainParse : PARTS[impl] ?? wasmParse;
    let trusted = 0;
    for (let i = 0; i < n; i++) trusted += (await parse(makeRequest(), APP_KEY)).trusted ? 1 : 0;
    return new Response(String(trusted));
  },
};

function makeRequest() {
  // As a browser's form POST arrives: with its Content-Length.
  return new Request("https://shop.example/return/acquired", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(BODY.length) }, body: BODY });
}
