// The differential test: every input of the fuzz corpora (fuzz/corpus), fed to the host core
// (examples/differential.rs, built by `make test`) and to the packed wasm in Node, through the same exports;
// the two answers, results or typed errors with their messages, must be the same.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { appDir, repoRoot } from "./support.mjs";

const resolved = createRequire(`${appDir}/index.js`).resolve("threeds-kit/package.json");
const lib = await import(resolved.replace(/package\.json$/, "node.js"));
const host = `${repoRoot}/target/debug/examples/differential`;
const FORM = "application/x-www-form-urlencoded";
const PROVIDERS = ["komoju", "veritrans", "ingenico", "shift4", "acquired"];
const KEYS = {
  acquired: { acquiredAppKey: "app_key" },
  veritrans: { veritransMerchantCcId: "A100000000000001", veritransMerchantPassword: "merchant-password" },
  ingenico: { ingenicoReturnMac: "stored-mac" },
};

/** The UTF-8 inputs of one target's corpus (inputs that are not UTF-8 cannot be a JS string). */
function corpus(target) {
  const dir = `${repoRoot}/fuzz/corpus/${target}`;
  if (!existsSync(dir)) return [];
  const decoder = new TextDecoder("utf-8", { fatal: true });
  return readdirSync(dir).sort().flatMap((name) => {
    try {
      return [decoder.decode(readFileSync(`${dir}/${name}`))];
    } catch {
      return [];
    }
  });
}

function calls() {
  const out = [];
  for (const input of corpus("decoders")) {
    for (const fn of ["decodeCres", "decodeCreq", "decodeMethodData", "decodeMethodNotification", "decodeSessionData", "inspectPayload"]) {
      out.push({ fn, args: [input] });
    }
  }
  for (const body of corpus("notification")) out.push({ fn: "respondToNotification", args: [body] });
  for (const html of corpus("html_form")) {
    out.push({ fn: "nextAction", args: ["veritrans", { mstatus: "success", vResultCode: "G001000000000000", resResponseContents: html }] });
  }
  for (const text of corpus("next_action")) {
    let response;
    try {
      response = JSON.parse(text);
    } catch {
      continue;
    }
    for (const provider of PROVIDERS) out.push({ fn: "nextAction", args: [provider, response] });
  }
  for (const text of corpus("parse_return")) {
    const cut = text.indexOf("\0");
    const [query, body] = cut < 0 ? ["", text] : [text.slice(0, cut), text.slice(cut + 1)];
    const request = { method: "POST", url: `https://shop.example/return?${query}`, body, contentType: FORM };
    out.push({ fn: "parseReturn", args: [request, {}] });
    for (const provider of [...PROVIDERS, "emv"]) {
      out.push({ fn: "parseReturn", args: [request, { provider }] });
      if (KEYS[provider]) {
        const options = { provider, keys: KEYS[provider], ...(provider === "ingenico" ? { expectedOrderId: "1" } : {}) };
        out.push({ fn: "parseReturn", args: [request, options] });
      }
    }
  }
  return out;
}

/** The wasm's answer to one call, in the host's shape. */
function wasm({ fn, args }) {
  try {
    if (fn === "respondToNotification") return { ok: lib.respondToNotification({ body: args[0], contentType: FORM }, { targetOrigin: "https://shop.example" }) };
    return { ok: lib[fn](...args) };
  } catch (e) {
    return { error: e.code, message: e.message };
  }
}

test("the host core and the packed wasm give the same answer to every corpus input", () => {
  assert.ok(existsSync(host), `${host} is built by make test (cargo build --example differential)`);
  const list = calls();
  assert.ok(list.length > 1000, `only ${list.length} calls: are the corpora checked in?`);
  const run = spawnSync(host, { input: list.map((c) => JSON.stringify(c)).join("\n") + "\n", maxBuffer: 1 << 30, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const answers = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
  assert.equal(answers.length, list.length);
  let differ = 0;
  for (const [i, call] of list.entries()) {
    const got = wasm(call);
    try {
      assert.deepEqual(got, answers[i]);
    } catch (e) {
      differ += 1;
      if (differ <= 12) console.error(`${call.fn}(${JSON.stringify(call.args).slice(0, 200)}): host ${JSON.stringify(answers[i]).slice(0, 300)} vs wasm ${JSON.stringify(got).slice(0, 300)}`);
    }
  }
  assert.equal(differ, 0, `${differ} of ${list.length} calls differ`);
  console.log(`${list.length} calls, host and wasm agree`);
});
