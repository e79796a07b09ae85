// The method notification URL: the package's responder in a route handler ("threeds-kit/full" on the server),
// posting to the merchant's origin (MERCHANT_ORIGIN, set by the test to this server's own).
import { respondToNotification } from "threeds-kit/full";

/** @param {Request} request */
export async function POST(request) {
  const nonce = crypto.randomUUID().replaceAll("-", "");
  const { html } = respondToNotification(
    { body: await request.text(), contentType: request.headers.get("content-type") },
    { targetOrigin: process.env.MERCHANT_ORIGIN, nonce },
  );
  return new Response(html, { headers: { "content-type": "text/html", "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'` } });
}
