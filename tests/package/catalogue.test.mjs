// The catalogue in a page of each engine (Chromium, Firefox, WebKitGTK), importing the installed package through
// an import map that points at the `browser` export condition of "threeds-kit/full" (the catalogue covers every
// export), the way a bundler or CDN would. browser-steps and providers run the browser build itself.
import { test, before, after, describe } from "node:test";
import { writeFileSync } from "node:fs";
import { appDir, installedManifest, repoRoot, serveStatic } from "./support.mjs";
import { Browser, testEngines } from "./browsers.mjs";
import { cases } from "./cases.mjs";

let site;

// Each page records what fails in it, so that a page that never answers says why.
const recordErrors = `<script>window.pageErrors = []; addEventListener("error", (e) => pageErrors.push(String(e.message)));
addEventListener("unhandledrejection", (e) => pageErrors.push(String(e.reason)));</script>`;

/** The pages, written once: the catalogue on the full build, both builds compared, no-await alone. */
before(async () => {
  const entry = installedManifest().exports["./full"].browser.replace(/^\.\//, "");
  writeFileSync(`${appDir}/catalogue.html`, `<!doctype html><meta charset="utf-8">${recordErrors}
<script type="importmap">{"imports": {"threeds-kit": "/app/node_modules/threeds-kit/${entry}"}}</script>
<script type="module">
  import * as lib from "threeds-kit";
  import { runAll } from "/cases/cases.mjs";
  const fixtures = await (await fetch("/fixtures/providers.json")).json();
  window.results = await runAll(lib, fixtures);
</script>`);
  // The browser build, as the `browser` condition of "threeds-kit" names it, beside the full build.
  const browserEntry = installedManifest().exports["."].browser.default.replace(/^\.\//, "");
  const noAwaitEntry = installedManifest().exports["./no-await"].browser.replace(/^\.\//, "");
  writeFileSync(`${appDir}/builds.html`, `<!doctype html><meta charset="utf-8">${recordErrors}
<script type="importmap">{"imports": {"threeds-kit": "/app/node_modules/threeds-kit/${browserEntry}", "threeds-kit/full": "/app/node_modules/threeds-kit/${entry}"}}</script>
<script type="module">
  import * as browserBuild from "threeds-kit";
  import * as fullBuild from "threeds-kit/full";
  import { compareBuilds } from "/cases/cases.mjs";
  const fixtures = await (await fetch("/fixtures/providers.json")).json();
  window.comparison = await compareBuilds(browserBuild, fullBuild, fixtures).then(() => "same", (e) => String(e?.stack ?? e));
</script>`);

  // "threeds-kit/no-await" alone in its page, so that nothing else instantiates the module first.
  writeFileSync(`${appDir}/no-await.html`, `<!doctype html><meta charset="utf-8">${recordErrors}
<script type="importmap">{"imports": {"threeds-kit/no-await": "/app/node_modules/threeds-kit/${noAwaitEntry}"}}</script>
<script type="module">
  import * as noAwait from "threeds-kit/no-await";
  import { checkNoAwait } from "/cases/cases.mjs";
  window.noAwait = await checkNoAwait(noAwait).then(() => "ok", (e) => String(e?.stack ?? e));
</script>`);
  site = await serveStatic({ "/app/": appDir, "/cases/": `${repoRoot}/tests/package`, "/fixtures/": `${repoRoot}/tests/fixtures` });
});

after(() => site?.server.close());

/** Loads `page` of the site in a fresh window and waits for the global it sets; a page that never sets it fails. */
async function answerOf(browser, page, global) {
  const tab = await browser.newPage();
  try {
    await tab.goto(`${site.origin}/app/${page}`);
    return await tab.waitForFunction((global) => window[global], global, { timeout: 20000 }).catch(async (e) => {
      throw new Error(`${page} never set ${global}: ${await tab.evaluate(() => window.pageErrors.join("; ")).catch(() => "")} (${e.message})`);
    });
  } finally {
    await tab.close();
  }
}

for (const engine of testEngines()) {
  describe(engine, () => {
    let browser, results, comparison, noAwaitResult;

    before(async () => {
      browser = await Browser.launch(engine);
      results = await answerOf(browser, "catalogue.html", "results");
      comparison = await answerOf(browser, "builds.html", "comparison");
      noAwaitResult = await answerOf(browser, "no-await.html", "noAwait");
    });

    after(() => browser?.close());

    test("threeds-kit/no-await refuses with a ThreeDsError before ready, and works after", () => {
      if (noAwaitResult !== "ok") throw new Error(noAwaitResult);
    });

    test("the browser build exports exactly its functions and answers as the full build does", () => {
      if (comparison !== "same") throw new Error(comparison);
    });

    for (const [name] of cases) {
      test(name, () => {
        const result = results.find((r) => r.name === name);
        if (!result) throw new Error("case did not run in the page");
        if (result.error) throw new Error(result.error);
      });
    }
  });
}
