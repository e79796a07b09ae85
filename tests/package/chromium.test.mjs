// The catalogue in a page in real Chromium, importing the installed package through an import map that
// points at its `browser` export condition, the way a bundler or CDN would.
import { test, before, after } from "node:test";
import { writeFileSync } from "node:fs";
import { appDir, installedManifest, launchChromium, repoRoot, serveStatic } from "./support.mjs";
import { cases } from "./cases.mjs";

let browser, site, results;

before(async () => {
  const entry = installedManifest().exports["."].browser.replace(/^\.\//, "");
  writeFileSync(`${appDir}/catalogue.html`, `<!doctype html><meta charset="utf-8">
<script type="importmap">{"imports": {"threeds-kit": "/app/node_modules/threeds-kit/${entry}"}}</script>
<script type="module">
  import * as lib from "threeds-kit";
  import { runAll } from "/cases/cases.mjs";
  const fixtures = await (await fetch("/fixtures/providers.json")).json();
  window.results = await runAll(lib, fixtures);
</script>`);
  site = await serveStatic({ "/app/": appDir, "/cases/": `${repoRoot}/tests/package`, "/fixtures/": `${repoRoot}/tests/fixtures` });
  browser = await launchChromium();
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${site.origin}/app/catalogue.html`);
  await page.waitForFunction(() => window.results, null, { timeout: 20000 }).catch(() => {
    throw new Error(`the page never produced results: ${errors.join("; ")}`);
  });
  results = await page.evaluate(() => window.results);
});

after(async () => {
  await browser?.close();
  site?.server.close();
});

for (const [name] of cases) {
  test(`chromium: ${name}`, () => {
    const result = results.find((r) => r.name === name);
    if (!result) throw new Error("case did not run in the page");
    if (result.error) throw new Error(result.error);
  });
}
