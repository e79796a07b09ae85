// The peer for the codec benchmark: a careful plain-JS cres decode (atob + JSON.parse + the same checks the
// wasm decoder makes), so the ratio compares like with like. Runs in Node and workerd.
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const VERSION = /^\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const STATUSES = new Set(["Y", "N", "U", "A", "C", "R", "D", "I", "S"]);

export function plainDecodeCres(value) {
  if (typeof value !== "string" || value.length === 0) throw new Error("cres is required");
  if (value.length > 128 * 1024) throw new Error("cres is too large");
  const standard = value.replace(/\s+/g, "").replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const binary = atob(standard + "===".slice((standard.length + 3) % 4));
  const text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  const message = JSON.parse(text);
  if (!message || typeof message !== "object" || Array.isArray(message)) throw new Error("cres must be an object");
  const type = String(message.messageType ?? "").toLowerCase();
  if (type !== "cres") throw new Error("cres.messageType must be CRes");
  for (const key of ["threeDSServerTransID", "acsTransID"]) if (!UUID.test(message[key])) throw new Error(`cres.${key} must be a UUID`);
  if (!VERSION.test(message.messageVersion)) throw new Error("cres.messageVersion invalid");
  if (message.challengeCompletionInd !== "Y" && message.challengeCompletionInd !== "N") throw new Error("cres.challengeCompletionInd invalid");
  if (!STATUSES.has(message.transStatus)) throw new Error("cres.transStatus invalid");
  return {
    messageType: "CRes",
    threeDSServerTransID: message.threeDSServerTransID,
    acsTransID: message.acsTransID,
    messageVersion: message.messageVersion,
    transStatus: message.transStatus,
    challengeCompletionInd: message.challengeCompletionInd,
  };
}

/** A typical final CRes as an ACS posts it: padded standard base64. */
export const TYPICAL_CRES = btoa(
  JSON.stringify({
    threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e",
    acsTransID: "d7c1ee99-9478-44a6-b1f2-391e29c6b340",
    messageType: "CRes",
    messageVersion: "2.2.0",
    transStatus: "Y",
    challengeCompletionInd: "Y",
  }),
);

/** Decodes TYPICAL_CRES `n` times with `decode`; returns a value that depends on every result. */
export function decodeLoop(decode, n) {
  let checksum = 0;
  for (let i = 0; i < n; i++) checksum += decode(TYPICAL_CRES).transStatus.length;
  return checksum;
}
