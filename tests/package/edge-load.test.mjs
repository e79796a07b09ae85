// The edge worker under load: the worst request of each kind (every one at or just under the worker's 256 KiB
// body cap, shaped to cost the most), sent concurrently to the example worker in real workerd. Every answer must
// be a typed refusal, the worker must stay up, and the run prints workerd's peak memory (VmHWM) above its idle
// size. Each batch must answer within BATCH_LIMIT_MS: a hang detector with a wide margin, not a speed target
// (speed is measured by `make bench`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { edgeWorkerEnv, repoRoot, startWorkerd } from "./support.mjs";

const BATCH_LIMIT_MS = 20000;
const COPIES = 4;
const CAP = 256 * 1024;
let workerd;

before(async () => {
  workerd = await startWorkerd({ worker: `${repoRoot}/examples/edge-worker/worker.mjs`, bindings: Object.entries(edgeWorkerEnv).map(([name, text]) => ({ name, text })) });
});
after(() => workerd?.stop());

/** `unit` repeated to at most `limit` bytes. */
const fill = (unit, limit) => unit.repeat(Math.floor(limit / unit.length));
const b64 = (text) => Buffer.from(text).toString("base64");
const b64url = (text) => Buffer.from(text).toString("base64url");

/** workerd's resident memory now and at its peak, in KiB (Linux /proc). */
function memory() {
  const status = readFileSync(`/proc/${workerd.pid}/status`, "utf8");
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

// [name, path, body, expected status, expected code]
const cases = [
  ["VeriTrans: authParams naming one 20 KB field 45,000 times", "/return/veritrans",
    `RequestId=r&Big=${"x".repeat(20 * 1024)}&authParams=${encodeURIComponent(b64(Array(40000).fill("Big").join(",")))}&vAuthInfo=${"0".repeat(64)}`, 413, "too_large"],
  ["VeriTrans: 32,000 absent fields", "/return/veritrans",
    `RequestId=r&authParams=${encodeURIComponent(b64(Array.from({ length: 32000 }, (_, i) => `f${i}`).join(",")))}&vAuthInfo=${"0".repeat(64)}`, 413, "too_large"],
  ["Acquired.com: 65,000 fields", "/return/acquired", fill("a=b&", CAP - 1), 413, "too_large"],
  ["Acquired.com: one name 37,000 times", "/return/acquired", fill("status=success&", CAP - 1), 413, "too_large"],
  ["EMV: a cres of nested arrays", "/return/emv", `cres=${b64url(`{"a":${fill("[", 90000)}`)}`, 400, "invalid_json"],
  ["EMV: a cres of 30,000 empty objects", "/return/emv", `cres=${b64url(`{"messageExtension":[${fill("{},", 90000)}{}]}`)}`, 400, null],
  ["EMV: percent escapes to the cap", "/return/emv", `cres=${fill("%41", CAP - 6)}`, 400, "invalid_json"],
  ["Shift4: j of 8,000 keys", "/return/shift4", `j=${encodeURIComponent(b64(`{${Array.from({ length: 8000 }, (_, i) => `"k${i}":1`).join(",")}}`))}`, 400, "missing_field"],
];

async function send([name, path, body]) {
  const response = await fetch(`${workerd.origin}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
  return { name, status: response.status, body: await response.json().catch(() => null) };
}

test("the worst request of each kind, concurrently: each a typed refusal, the worker stays up", async () => {
  const idle = memory();
  for (let round = 0; round < 3; round++) {
    const started = Date.now();
    const answers = await Promise.all(cases.flatMap((c) => Array.from({ length: COPIES }, () => send(c))));
    const elapsed = Date.now() - started;
    for (const answer of answers) {
      const [, , , status, code] = cases.find(([name]) => name === answer.name);
      assert.ok(answer.status >= 400 && answer.status < 500, `${answer.name}: ${answer.status} ${JSON.stringify(answer.body)}`);
      assert.equal(typeof answer.body?.code, "string", `${answer.name}: untyped answer ${JSON.stringify(answer.body)}`);
      if (code) assert.deepEqual([answer.status, answer.body.code], [status, code], answer.name);
    }
    assert.ok(elapsed < BATCH_LIMIT_MS, `${answers.length} worst requests took ${elapsed} ms`);
    console.log(`round ${round + 1}: ${answers.length} worst requests answered in ${elapsed} ms`);
  }
  const loaded = memory();
  console.log(`workerd memory: idle ${idle.rss} KiB, peak ${loaded.peak} KiB (+${loaded.peak - idle.rss} KiB for ${cases.length * COPIES} concurrent worst requests, ${Math.round((loaded.peak - idle.rss) / (cases.length * COPIES))} KiB each)`);
  // Still up, and still right.
  const ok = await fetch(`${workerd.origin}/return/komoju?secure_token_id=tok_1`);
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).outcome, "pending");
});
