// The tarball as published: exactly the files a user needs, a complete manifest, the licenses it names, and
// the opt-in debug entry whose wasm frames carry names while the default one stays as small as before.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { appDir, installedDir, installedManifest, repoRoot } from "./support.mjs";

test("the tarball holds exactly the files a user needs", () => {
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", `${repoRoot}/pkg`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    "CHANGELOG.md", "LICENSE-APACHE", "LICENSE-MIT", "README.md", "browser-api.js", "browser.d.ts", "browser.js",
    "debug/browser.js", "debug/browser_bg.wasm", "debug/full.js", "debug/full_bg.wasm", "debug/node.js", "debug/workerd.js",
    "error.js", "full-api.js", "full.js", "index.d.ts", "no-await-node.js", "no-await-workerd.js", "no-await.d.ts",
    "no-await.js", "node.js", "package.json",
    "wasm/browser.js", "wasm/browser_bg.wasm", "wasm/full.js", "wasm/full_bg.wasm", "workerd.js",
  ]);
});

test("two builds: browsers get the browser build, Node and workerd the full one, every runtime can ask for full", () => {
  const { exports } = installedManifest();
  assert.deepEqual(exports["."], {
    workerd: { types: "./index.d.ts", default: "./workerd.js" },
    node: { types: "./index.d.ts", default: "./node.js" },
    browser: { types: "./browser.d.ts", default: "./browser.js" },
    default: { types: "./browser.d.ts", default: "./browser.js" },
  });
  assert.deepEqual(exports["./full"], { types: "./index.d.ts", workerd: "./workerd.js", node: "./node.js", browser: "./full.js", default: "./full.js" });
  // The browser build without top-level await (a `ready` promise instead); in Node and workerd their entries.
  assert.deepEqual(exports["./no-await"], { types: "./no-await.d.ts", workerd: "./no-await-workerd.js", node: "./no-await-node.js", browser: "./no-await.js", default: "./no-await.js" });
  assert.deepEqual(Object.keys(exports), [".", "./full", "./no-await", "./debug", "./debug/full", "./package.json"]);
  // For resolvers that read no `exports` (Parcel unless told to): the same files as the conditions name.
  const manifest = installedManifest();
  assert.equal(manifest.main, "./node.js");
  assert.equal(manifest.browser, "./browser.js");
  const noAwait = readFileSync(`${installedDir}/no-await.js`, "utf8");
  assert.doesNotMatch(noAwait, /^\s*await\b/m, "no top-level await in threeds-kit/no-await");
  assert.match(noAwait, /export const ready = init\(/);
  // No entry or glue names a file the package does not ship: bundlers follow every new URL(..., import.meta.url).
  for (const file of ["browser.js", "full.js", "no-await.js", "wasm/browser.js", "wasm/full.js", "debug/browser.js", "debug/full.js"]) {
    for (const [, target] of readFileSync(`${installedDir}/${file}`, "utf8").matchAll(/new URL\(["'](.+?)["'], import\.meta\.url\)/g)) {
      assert.ok(existsSync(join(dirname(`${installedDir}/${file}`), target)), `${file} names ${target}, which the package does not ship`);
    }
  }
  // The Node entry reads its wasm by a path that server bundlers (Next.js) do not rewrite into a browser URL.
  assert.doesNotMatch(readFileSync(`${installedDir}/node.js`, "utf8"), /new URL\(["']/);
  // The browser build loads its own wasm and glue, never the full build's.
  const browserEntry = readFileSync(`${installedDir}/browser.js`, "utf8");
  assert.match(browserEntry, /wasm\/browser_bg\.wasm/);
  assert.doesNotMatch(browserEntry + readFileSync(`${installedDir}/browser-api.js`, "utf8"), /full(\.js|_bg|-api)/);
  // The demo pages and the end-to-end tests load the file the `browser` condition names.
  for (const page of ["checkout.js", "providers.js", "harness.js"]) {
    assert.match(readFileSync(`${repoRoot}/www/${page}`, "utf8"), /from "\/pkg\/browser\.js"/, page);
  }
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
  assert.deepEqual(manifest.sideEffects, ["./browser.js", "./full.js", "./node.js", "./workerd.js", "./no-await.js", "./debug/*.js"]);
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
  const names = (path) => WebAssembly.Module.customSections(new WebAssembly.Module(readFileSync(`${installedDir}/${path}`)), "name").length;
  for (const build of ["browser", "full"]) {
    assert.ok(size(`debug/${build}_bg.wasm`) > size(`wasm/${build}_bg.wasm`), `the names are in the ${build} debug wasm only`);
    assert.deepEqual([names(`wasm/${build}_bg.wasm`), names(`debug/${build}_bg.wasm`)], [0, 1], build);
  }
});
