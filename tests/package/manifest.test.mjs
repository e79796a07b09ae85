// The tarball as published: exactly the files a user needs, a complete manifest, the licenses it names, and
// the opt-in debug entry whose wasm frames carry names while the default one stays as small as before.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { appDir, installedDir, installedManifest, repoRoot } from "./support.mjs";

test("the tarball holds exactly the files a user needs", () => {
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", `${repoRoot}/pkg`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    "CHANGELOG.md", "LICENSE-APACHE", "LICENSE-MIT", "README.md", "api.js", "browser.js",
    "debug/browser.js", "debug/node.js", "debug/threeds_kit_bg.wasm", "debug/workerd.js",
    "error.js", "index.d.ts", "node.js", "package.json", "threeds_kit.js", "threeds_kit_bg.wasm", "workerd.js",
  ]);
});

test("the manifest: license texts, repository, homepage, bugs, engines, sideEffects", () => {
  const manifest = installedManifest();
  assert.equal(manifest.license, "MIT OR Apache-2.0");
  assert.match(readFileSync(`${installedDir}/LICENSE-MIT`, "utf8"), /^Permission is hereby granted, free of charge/m);
  assert.match(readFileSync(`${installedDir}/LICENSE-APACHE`, "utf8"), /Apache License\s+Version 2\.0, January 2004/);
  assert.match(readFileSync(`${installedDir}/CHANGELOG.md`, "utf8"), /^## 0\.1\.0/m);
  assert.match(manifest.repository.url, /^git\+https:\/\/github\.com\/.+\.git$/);
  assert.match(manifest.homepage, /^https:\/\//);
  assert.match(manifest.bugs.url, /\/issues$/);
  assert.ok(manifest.engines.node, "engines.node");
  // Only the entries have side effects (they instantiate the module on import); a bundler may drop the rest.
  assert.deepEqual(manifest.sideEffects, ["./browser.js", "./node.js", "./workerd.js", "./debug/*.js"]);
});

const stackOf = (specifier) =>
  execFileSync("node", ["--input-type=module", "-e", `import { decodeCres } from "${specifier}"; try { decodeCres("%%%"); } catch (e) { console.log(e.stack); }`], { cwd: appDir, encoding: "utf8" });

test("threeds-kit/debug: wasm frames carry the Rust names; the default download has none and did not grow", () => {
  const debug = stackOf("threeds-kit/debug");
  assert.match(debug, /ThreeDsError: /);
  assert.match(debug, /threeds_kit::boundary::to_js_error/, `the debug entry's stack names the Rust functions:\n${debug}`);
  const plain = stackOf("threeds-kit");
  assert.match(plain, /wasm-function\[\d+\]/);
  assert.doesNotMatch(plain, /threeds_kit::/);
  const size = (path) => statSync(`${installedDir}/${path}`).size;
  assert.ok(size("debug/threeds_kit_bg.wasm") > size("threeds_kit_bg.wasm"), "the names are in the debug wasm only");
  const names = (path) => WebAssembly.Module.customSections(new WebAssembly.Module(readFileSync(`${installedDir}/${path}`)), "name").length;
  assert.deepEqual([names("threeds_kit_bg.wasm"), names("debug/threeds_kit_bg.wasm")], [0, 1]);
});
