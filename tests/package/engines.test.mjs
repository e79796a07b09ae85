// The oldest browsers the package supports, worked out from what it uses and checked in each engine.
//
// What the package needs of a browser: ES module top-level await (the browser entry instantiates its wasm at
// import), AbortController and AbortSignal (the flows' `signal`), and each WebAssembly feature its wasm was built
// with (read from the wasm's own target_features section, so a compiler upgrade that turns one on fails here
// until the table knows it). The minimum versions are the latest first-release version over those features; the
// README states them, and each engine must validate a module using each feature and run the package.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { appDir, installedDir, installedManifest, repoRoot, serveStatic } from "./support.mjs";
import { Browser, testEngines } from "./browsers.mjs";

/** First stable release with each feature (MDN browser-compat-data; webassembly.org/features for wasm). */
const firstReleases = {
  "top-level await": { chrome: 89, firefox: 89, safari: 15 },
  AbortSignal: { chrome: 66, firefox: 57, safari: 12.1 },
  "mutable-globals": { chrome: 74, firefox: 61, safari: 13.1 },
  "sign-ext": { chrome: 74, firefox: 62, safari: 14.1 },
  "nontrapping-fptoint": { chrome: 75, firefox: 64, safari: 15 },
  "bulk-memory": { chrome: 75, firefox: 79, safari: 15 },
  // memory.copy and memory.fill alone: a part of bulk-memory.
  "bulk-memory-opt": { chrome: 75, firefox: 79, safari: 15 },
  multivalue: { chrome: 85, firefox: 78, safari: 13.1 },
  "reference-types": { chrome: 96, firefox: 79, safari: 15 },
  // call_indirect's table index as a LEB128 of any length: the encoding reference-types introduced.
  "call-indirect-overlong": { chrome: 96, firefox: 79, safari: 15 },
};

/** A small module that each wasm feature makes valid (and that is invalid without it). */
const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const oneFunction = (body, type = [0x60, 0x00, 0x00], memory = false) => {
  const code = [0x00, ...body, 0x0b];
  return [
    ...header,
    0x01, type.length + 1, 0x01, ...type,
    0x03, 0x02, 0x01, 0x00,
    ...(memory ? [0x05, 0x03, 0x01, 0x00, 0x00] : []),
    0x0a, code.length + 2, 0x01, code.length, ...code,
  ];
};
const probes = {
  "mutable-globals": [...header, 0x02, 0x08, 0x01, 0x01, 0x6d, 0x01, 0x67, 0x03, 0x7f, 0x01], // import (mut i32)
  "sign-ext": oneFunction([0x41, 0x00, 0xc0, 0x1a]), // i32.extend8_s
  "nontrapping-fptoint": oneFunction([0x43, 0x00, 0x00, 0x00, 0x00, 0xfc, 0x00, 0x1a]), // i32.trunc_sat_f32_s
  "bulk-memory": oneFunction([0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0b, 0x00], undefined, true), // memory.fill
  "bulk-memory-opt": oneFunction([0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0a, 0x00, 0x00], undefined, true), // memory.copy
  multivalue: oneFunction([0x41, 0x00, 0x41, 0x00], [0x60, 0x00, 0x02, 0x7f, 0x7f]), // two results
  "reference-types": [...header, 0x04, 0x04, 0x01, 0x6f, 0x00, 0x00], // a table of externref
  // A call_indirect whose table index is written in two bytes (0x80 0x00) rather than one.
  "call-indirect-overlong": [
    ...header, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x00,
    0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0x11, 0x00, 0x80, 0x00, 0x0b,
  ],
};

/** The features a wasm file was built with: its target_features custom section ("+name" entries). */
function targetFeatures(bytes) {
  const leb = (at) => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at.offset++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
  };
  const at = { offset: 8 };
  while (at.offset < bytes.length) {
    const id = bytes[at.offset++];
    const size = leb(at);
    const end = at.offset + size;
    if (id === 0) {
      const nameLength = leb(at);
      const name = Buffer.from(bytes.subarray(at.offset, at.offset + nameLength)).toString();
      at.offset += nameLength;
      if (name === "target_features") {
        const features = [];
        for (let n = leb(at); n > 0; n--) {
          const prefix = String.fromCharCode(bytes[at.offset++]);
          const length = leb(at);
          features.push(prefix + Buffer.from(bytes.subarray(at.offset, at.offset + length)).toString());
          at.offset += length;
        }
        return features;
      }
    }
    at.offset = end;
  }
  throw new Error("the wasm has no target_features section");
}

const manifest = installedManifest();
const browserEntry = manifest.exports["."].browser.default.replace(/^\.\//, "");
const wasmFiles = ["wasm/browser_bg.wasm", "wasm/full_bg.wasm"];
const used = [...new Set(wasmFiles.flatMap((file) => targetFeatures(readFileSync(`${installedDir}/${file}`))))];
const needed = ["top-level await", "AbortSignal", ...used.map((f) => f.slice(1))];
const minimum = Object.fromEntries(["chrome", "firefox", "safari"].map((b) => [b, Math.max(...needed.map((f) => firstReleases[f]?.[b] ?? Infinity))]));

test("every wasm feature the builds were compiled with is known, enabled (+) and has its first releases", () => {
  for (const feature of used) {
    assert.equal(feature[0], "+", `${feature}: a feature the build requires (or forbids)`);
    assert.ok(firstReleases[feature.slice(1)], `${feature}: not in the table of first releases`);
    assert.ok(probes[feature.slice(1)], `${feature}: no module to probe it with`);
  }
});

test("the README states the minimum versions the features give", () => {
  const text = readFileSync(`${repoRoot}/README.md`, "utf8");
  const stated = `Chrome and Edge ${minimum.chrome}, Firefox ${minimum.firefox}, Safari ${minimum.safari} (iOS ${minimum.safari})`;
  assert.ok(text.includes(stated), `README should say: ${stated}`);
});

test("each probe module is well-formed (Node's V8, which has every feature, validates it)", () => {
  for (const [feature, bytes] of Object.entries(probes)) assert.ok(WebAssembly.validate(new Uint8Array(bytes)), feature);
});

let site;
before(async () => {
  writeFileSync(`${appDir}/engines.html`, `<!doctype html><meta charset="utf-8">
<script type="importmap">{"imports": {"threeds-kit": "/app/node_modules/threeds-kit/${browserEntry}"}}</script>
<script type="module">
  import * as tds from "threeds-kit";
  window.loaded = { size: tds.challengeWindowSize("02"), signal: typeof AbortSignal === "function" && "aborted" in AbortSignal.prototype };
</script>`);
  site = await serveStatic({ "/app/": appDir });
});
after(() => site?.server.close());

for (const engine of testEngines()) {
  describe(engine, () => {
    let browser, page;
    before(async () => {
      browser = await Browser.launch(engine);
      page = await browser.newPage();
    });
    after(() => browser?.close());

    test("validates a module using each wasm feature the package was built with", async () => {
      const verdicts = await page.evaluate((probes) => Object.fromEntries(Object.entries(probes).map(([f, bytes]) => [f, WebAssembly.validate(new Uint8Array(bytes))])), probes);
      for (const feature of used) assert.equal(verdicts[feature.slice(1)], true, `${engine}: ${feature}`);
    });

    test("loads the browser entry (top-level await, the wasm) and runs it, with AbortSignal", async () => {
      await page.goto(`${site.origin}/app/engines.html`);
      const loaded = await page.waitForFunction(() => window.loaded, null, { timeout: 20000 });
      assert.deepEqual(loaded, { size: { code: "02", width: "390px", height: "400px" }, signal: true });
    });
  });
}
