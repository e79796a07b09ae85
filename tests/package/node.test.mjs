// The catalogue in Node, importing the installed package by name (its `node` export condition).
import { test } from "node:test";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { appDir, repoRoot } from "./support.mjs";
import { cases } from "./cases.mjs";

const resolved = createRequire(`${appDir}/index.js`).resolve("threeds-kit/package.json");
const lib = await import(resolved.replace(/package\.json$/, "node.js"));

test("the node entry is what `import 'threeds-kit'` resolves to from the app", async () => {
  const { execFileSync } = await import("node:child_process");
  const out = execFileSync("node", ["--input-type=module", "-e", "import * as t from 'threeds-kit'; console.log(typeof t.decodeCres, t.challengeWindowSize('01').width)"], { cwd: appDir, encoding: "utf8" });
  if (out.trim() !== "function 250px") throw new Error(`unexpected: ${out}`);
});

const fixtures = JSON.parse(readFileSync(`${repoRoot}/tests/fixtures/providers.json`, "utf8"));
for (const [name, run] of cases) test(name, () => run(lib, fixtures));

// What the catalogue cannot see from the API: that parseReturnRequest measures a Request's strings before it
// copies them into wasm memory, which never shrinks. The glue's initSync gives the instance the entry made.
test("parseReturnRequest copies no over-long URL, method or header into wasm memory", async () => {
  const { initSync } = await import(resolved.replace(/package\.json$/, "wasm/full.js"));
  const { memory } = initSync();
  const huge = "x".repeat(20_000_000);
  const request = (over) => ({ method: "POST", url: "https://shop.example/r", headers: new Headers({ "content-length": "3" }), text: async () => "a=b", ...over });
  const before = memory.buffer.byteLength;
  for (const [over, code] of [
    [{ url: `https://shop.example/r?${huge}` }, "too_large"],
    [{ method: huge }, "invalid_field"],
    [{ headers: new Headers({ "content-type": huge }) }, "too_large"],
    [{ headers: new Headers({ "content-length": huge }) }, "too_large"],
  ]) {
    const error = await lib.parseReturnRequest(request(over), { provider: "acquired" }).then(() => null, (e) => e);
    if (error?.code !== code) throw new Error(`${Object.keys(over)[0]}: expected ${code}, got ${error?.code ?? "a result"}`);
  }
  const grown = (memory.buffer.byteLength - before) / 2 ** 20;
  if (grown > 1) throw new Error(`wasm memory grew by ${grown.toFixed(1)} MiB for values refused by their length`);
});
