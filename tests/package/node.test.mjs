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
