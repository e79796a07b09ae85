// The README's worker examples, extracted from README.md as written and run in real workerd with the packed
// package: the documentation cannot drift from what works.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { repoRoot, scratchDir, startWorkerd } from "./support.mjs";
import { postedBy } from "./assertions.mjs";

const readme = readFileSync(`${repoRoot}/README.md`, "utf8");
const workerExamples = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.includes("export default {"));
const running = [];
after(() => running.forEach((w) => w.stop()));

async function start(marker, bindings = []) {
  const code = workerExamples.find((c) => c.includes(marker));
  assert.ok(code, `README has a worker example using ${marker}`);
  const path = `${scratchDir}/readme-${marker}.mjs`;
  writeFileSync(path, code);
  const worker = await startWorkerd({ worker: path, bindings });
  running.push(worker);
  return worker;
}

const form = (fields) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });

test("README: the decodeCres worker", async () => {
  const worker = await start("decodeCres(cres)");
  const cres = { threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", acsTransID: "d7c1ee99-9478-44a6-b1f2-391e29c6b340", messageType: "CRes", messageVersion: "2.2.0", transStatus: "Y", challengeCompletionInd: "Y" };
  const ok = await fetch(worker.origin, form({ cres: Buffer.from(JSON.stringify(cres)).toString("base64") }));
  assert.equal((await ok.json()).transStatus, "Y");
  const bad = await fetch(worker.origin, form({ cres: "%%%" }));
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).code, "invalid_base64");
});

test("README: the respondToNotification worker", async () => {
  const worker = await start("respondToNotification(");
  const response = await fetch(worker.origin, form({ threeDSMethodData: Buffer.from(JSON.stringify({ threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e" })).toString("base64") }));
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-security-policy"), /script-src 'nonce-/);
  assert.equal(postedBy(await response.text()).message.result.type, "method");
});

test("README: the parseReturnRequest worker", async () => {
  const fixtures = JSON.parse(readFileSync(`${repoRoot}/tests/fixtures/providers.json`, "utf8"));
  const worker = await start("parseReturnRequest(request", [{ name: "ACQUIRED_APP_KEY", text: "app_key" }]);
  const ok = await (await fetch(worker.origin, form(fixtures.acquired.redirect))).json();
  assert.deepEqual([ok.outcome, ok.trusted], ["authenticated", true]);
  const tampered = await fetch(worker.origin, form({ ...fixtures.acquired.redirect, status: "success" }));
  assert.equal(tampered.status, 403);
});
