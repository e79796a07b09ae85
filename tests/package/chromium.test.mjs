// The catalogue in a page in real Chromium, importing the installed package through an import map that
// points at the `browser` export condition of "threeds-kit/full" (the catalogue covers every export), the way
// a bundler or CDN would. browser-steps and providers run the browser build itself.
import { test, before, after } from "node:test";
import { writeFileSync } from "node:fs";
import { appDir, installedManifest, launchChromium, repoRoot, serveStatic } from "./support.mjs";
import { cases } from "./cases.mjs";

let browser, site, results, comparison, noAwaitResult;

before(async () => {
  const entry = installedManifest().exports["./full"].browser.replace(/^\.\//, "");
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

  // The browser build, as the `browser` condition of "threeds-kit" names it, beside the full build.
  const browserEntry = installedManifest().exports["."].browser.default.replace(/^\.\//, "");
  const noAwaitEntry = installedManifest().exports["./no-await"].browser.replace(/^\.\//, "");
  writeFileSync(`${appDir}/builds.html`, `<!doctype html><meta charset="utf-8">
<script type="importmap">{"imports": {"threeds-kit": "/app/node_modules/threeds-kit/${browserEntry}", "threeds-kit/full": "/app/node_modules/threeds-kit/${entry}"}}</script>
<script type="module">
  import * as browserBuild from "threeds-kit";
  import * as fullBuild from "threeds-kit/full";
  import { compareBuilds } from "/cases/cases.mjs";
  const fixtures = await (await fetch("/fixtures/providers.json")).json();
  window.comparison = await compareBuilds(browserBuild, fullBuild, fixtures).then(() => "same", (e) => String(e?.stack ?? e));
</script>`);
  const builds = await browser.newPage();
  await builds.goto(`${site.origin}/app/builds.html`);
  comparison = await builds.waitForFunction(() => window.comparison, null, { timeout: 20000 }).then((h) => h.jsonValue());

  // "threeds-kit/no-await" alone in its page, so that nothing else instantiates the module first.
  writeFileSync(`${appDir}/no-await.html`, `<!doctype html><meta charset="utf-8">
<script type="importmap">{"imports": {"threeds-kit/no-await": "/app/node_modules/threeds-kit/${noAwaitEntry}"}}</script>
<script type="module">
  import * as noAwait from "threeds-kit/no-await";
  import { checkNoAwait } from "/cases/cases.mjs";
  window.noAwait = await checkNoAwait(noAwait).then(() => "ok", (e) => String(e?.stack ?? e));
</script>`);
  const noAwaitPage = await browser.newPage();
  await noAwaitPage.goto(`${site.origin}/app/no-await.html`);
  noAwaitResult = await noAwaitPage.waitForFunction(() => window.noAwait, null, { timeout: 20000 }).then((h) => h.jsonValue());
});

after(async () => {
  await browser?.close();
  site?.server.close();
});

test("chromium: threeds-kit/no-await refuses with a ThreeDsError before ready, and works after", () => {
  if (noAwaitResult !== "ok") throw new Error(noAwaitResult);
});

test("chromium: the browser build exports exactly its functions and answers as the full build does", () => {
  if (comparison !== "same") throw new Error(comparison);
});

for (const [name] of cases) {
  test(`chromium: ${name}`, () => {
    const result = results.find((r) => r.name === name);
    if (!result) throw new Error("case did not run in the page");
    if (result.error) throw new Error(result.error);
  });
}
