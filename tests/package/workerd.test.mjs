// The catalogue in real workerd, with the package loaded through its `workerd` export condition.
import { test, before, after } from "node:test";
import { repoRoot, startWorkerd } from "./support.mjs";
import { cases } from "./cases.mjs";

let workerd, results;

before(async () => {
  workerd = await startWorkerd({
    worker: `${repoRoot}/tests/package/workerd/catalogue-worker.mjs`,
    modules: {
      "cases.mjs": `${repoRoot}/tests/package/cases.mjs`,
      "attacks.mjs": `${repoRoot}/tests/package/attacks.mjs`,
      "assertions.mjs": `${repoRoot}/tests/package/assertions.mjs`,
    },
    jsonModules: { "providers.json": `${repoRoot}/tests/fixtures/providers.json` },
  });
  results = await (await fetch(`${workerd.origin}/`)).json();
});

after(() => workerd?.stop());

for (const [name] of cases) {
  test(`workerd: ${name}`, () => {
    const result = results.find((r) => r.name === name);
    if (!result) throw new Error("case did not run in workerd");
    if (result.error) throw new Error(result.error);
  });
}
