// The codec benchmark inside workerd. Timers do not advance inside a request there, so the client times
// whole requests: /loop?impl=wasm|js&n=N decodes N times and answers the checksum.
import { decodeCres } from "threeds-kit";
import { decodeLoop, plainDecodeCres } from "plain-decode.mjs";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n") ?? 0);
    const decode = url.searchParams.get("impl") === "js" ? plainDecodeCres : decodeCres;
    return new Response(String(decodeLoop(decode, n)));
  },
};
