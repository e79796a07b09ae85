// The packed package as each bundler's users take it: a scratch project per bundler (tests/packaging/projects:
// exact versions, a lockfile) with the tarball installed, a page built with no configuration or with exactly
// the README's recipe (read from its "Bundlers" section), served from a merchant origin, loaded in Chromium,
// running runMethod against the mock ACS on another origin to compInd "Y". Every build that works (and `next
// start`) then runs in Firefox ESR and WebKitGTK too, over WebDriver: what a bundler emits (top-level await,
// the wasm's URL, a classic script's chunk loading) is what those engines must run. Dev servers run in Chromium. Where the README says a recipe is
// needed, the run without it is here too and must fail for the reason the README gives: with the versions
// locked, a recipe that becomes unnecessary shows up as a failing test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { freePort, launchChromium, methodFlow, methodFlowInEngine, packagingDir, project, repoRoot, run, serverPackage, startMerchant, startServer, tarball } from "./support.mjs";
import { startDemoServer } from "../package/support.mjs";
import { Browser, testEngines } from "../package/browsers.mjs";

const readme = readFileSync(`${repoRoot}/README.md`, "utf8");
/** The README block fenced as ```js <name> or ```sh <name>: a recipe, exactly as a user copies it. */
function recipe(name) {
  const block = readme.split(/^```\w+ /m).find((b) => b.startsWith(`${name}\n`));
  assert.ok(block, `README has a \`\`\` block named ${name}`);
  return block.slice(name.length + 1, block.indexOf("```"));
}

// Chromium through Playwright, which reports every request (the on-demand tests count them); the other engines
// (ENGINES narrows them, as in tests/package) through WebDriver.
let lib, demo, browser;
const engines = [];
before(async () => {
  await tarball();
  const pkg = await serverPackage();
  lib = await import(`${pkg}/node.js`);
  demo = await startDemoServer(pkg);
  browser = await launchChromium();
  for (const engine of testEngines().filter((name) => name !== "chromium")) engines.push(await Browser.launch(engine));
});
after(async () => {
  await browser?.close();
  for (const engine of engines) await engine.close();
  demo?.stop();
});

/** The flow at `pageUrl` in Firefox ESR and WebKitGTK, each to compInd "Y" (Chromium has run it already). */
async function assertWorksInEngines(pageUrl, notificationUrl, label, { pay = false, timeout } = {}) {
  for (const engine of engines) {
    assertWorks(await methodFlowInEngine({ browser: engine, demo, pageUrl, notificationUrl, pay, timeout }), `${label} in ${engine.version}`);
  }
}

/** A build (`served`, a bundler's output folder) that works: the method flow to compInd "Y" in every engine. */
async function assertBuildWorks(served, label) {
  assertWorks(await runBuilt(served), label);
  const merchant = await startMerchant({ dir: served, lib });
  try {
    await assertWorksInEngines(`${merchant.origin}/`, `${merchant.origin}/3ds/method-notification`, label);
  } finally {
    merchant.stop();
  }
}

const bin = (dir, name) => `${dir}/node_modules/.bin/${name}`;
const version = (name, pkg) => JSON.parse(readFileSync(`${packagingDir}/projects/${name}/package.json`, "utf8")).devDependencies[pkg];

/** The shared page (tests/packaging/page) into the project: index.html, and main.js or its no-await twin at `main`. */
function layPage(dir, { noAwait = false, main = "main.js" } = {}) {
  copyFileSync(`${packagingDir}/page/index.html`, `${dir}/index.html`);
  mkdirSync(dirname(`${dir}/${main}`), { recursive: true });
  copyFileSync(`${packagingDir}/page/${noAwait ? "main-no-await.js" : "main.js"}`, `${dir}/${main}`);
}

/** The README's on-demand recipe as the page's module (`main`), after the prelude that gives it its two functions. */
function layOnDemandPage(dir, main = "main.js") {
  layPage(dir, { main });
  writeFileSync(`${dir}/${main}`, readFileSync(`${packagingDir}/page/main-on-demand.js`, "utf8") + recipe("on-demand.js"));
}

/**
 * Serves `served` as the merchant, loads the page, and checks that nothing of the package was requested before
 * the customer pays: no wasm, and the scripts requested on the click (the package's chunk) were not requested
 * before; then the method flow after the click, to compInd "Y". Prints what each side of the click weighs.
 */
async function assertLoadsOnPay(served, label) {
  const merchant = await startMerchant({ dir: served, lib });
  try {
    const outcome = await methodFlow({ browser, demo, pageUrl: `${merchant.origin}/`, notificationUrl: `${merchant.origin}/3ds/method-notification`, pay: true });
    assertWorks(outcome, label);
    const own = (urls) => urls.filter((u) => u.startsWith(merchant.origin) && !u.includes("/3ds/")).map((u) => new URL(u).pathname);
    const before = own(outcome.requestedBeforePay);
    const onPay = own(outcome.requested.slice(outcome.requestedBeforePay.length));
    assert.ok(!before.some((p) => p.endsWith(".wasm")), `${label}: the wasm was requested before the click: ${before.join(", ")}`);
    assert.ok(onPay.some((p) => p.endsWith(".wasm")), `${label}: no wasm was requested on the click: ${onPay.join(", ")}`);
    const chunks = onPay.filter((p) => p.endsWith(".js"));
    assert.ok(chunks.length > 0 && chunks.every((p) => !before.includes(p)), `${label}: no script of its own was fetched on the click: ${onPay.join(", ")}`);
    const kib = (paths) => `${(paths.reduce((sum, p) => sum + gzipSync(readFileSync(join(served, p)), { level: 9 }).length, 0) / 1024).toFixed(1)} KiB`;
    console.log(`packaging: ${label}: before the click ${before.join(" ")} (${kib(before.filter((p) => p.endsWith(".js")))} of script, gzip); on the click ${onPay.join(" ")} (${kib(onPay)})`);
    await assertWorksInEngines(`${merchant.origin}/`, `${merchant.origin}/3ds/method-notification`, label, { pay: true });
  } finally {
    merchant.stop();
  }
}

/** Serves `served` (a bundler's output folder) as the merchant and runs the method flow from its index.html. */
async function runBuilt(served) {
  const merchant = await startMerchant({ dir: served, lib });
  try {
    return await methodFlow({ browser, demo, pageUrl: `${merchant.origin}/`, notificationUrl: `${merchant.origin}/3ds/method-notification` });
  } finally {
    merchant.stop();
  }
}

/** Runs a dev server (`args` get --port) and the method flow from its page; the notification URL is a merchant's. */
async function runDev(dir, command, args) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = await startServer(command, [...args, "--port", String(port)], { cwd: dir, url: origin });
  const merchant = await startMerchant({ lib, targetOrigin: origin });
  try {
    const outcome = await methodFlow({ browser, demo, pageUrl: `${origin}/`, notificationUrl: `${merchant.origin}/3ds/method-notification` });
    return { ...outcome, serverOutput: server.output() };
  } finally {
    merchant.stop();
    server.stop();
  }
}

/** What a run came to: the flow's outcome, or the build or server that failed first (its output). */
async function attempt(steps) {
  try {
    return await steps();
  } catch (error) {
    return { result: { error: String(error.message) }, methodReceived: false, problems: [] };
  }
}

function assertWorks(outcome, label) {
  const detail = `${label}: ${JSON.stringify(outcome.result)}\n${outcome.problems.join("\n")}${outcome.serverOutput ? `\n${outcome.serverOutput}` : ""}`;
  assert.deepEqual(outcome.result, { compInd: "Y" }, detail);
  assert.ok(outcome.methodReceived, `${label}: the mock ACS never received the method POST`);
  console.log(`packaging: ${label}: compInd Y`);
}

/** A run without the README's recipe: it must fail, and for the reason the README gives. */
function assertFails(outcome, reason, label) {
  const seen = `${JSON.stringify(outcome.result)}\n${outcome.problems.join("\n")}\n${outcome.serverOutput ?? ""}`;
  assert.notDeepEqual(outcome.result, { compInd: "Y" }, `${label} works now: the README's recipe may no longer be needed`);
  assert.match(seen, reason, `${label} failed, but not for the documented reason`);
  console.log(`packaging: ${label}: fails as documented (${reason.source})`);
}

const TIMEOUT = { timeout: 15 * 60 * 1000 };
const viteBuild = (dir) => run("node", [`${dir}/node_modules/vite/bin/vite.js`, "build"], dir);
const viteDev = (dir) => runDev(dir, "node", [`${dir}/node_modules/vite/bin/vite.js`, "--strictPort", "--host", "127.0.0.1"]);
// Vite 5 to 7 pre-bundle the package for dev into node_modules/.vite/deps; the wasm is then looked for there.
const HTML_AS_WASM = /expected magic word 00 61 73 6d, found 3c 21 64 6f/;
const NO_TOP_LEVEL_AWAIT = /Top-level await is not available in the configured target environment/;

for (const major of [8, 7, 6, 5]) {
  const name = `vite${major}`;
  const label = (what) => `Vite ${version(name, "vite")}: ${what}`;
  const defaultBuildWorks = major >= 7;

  test(label(`vite build, no configuration${defaultBuildWorks ? "" : " (fails: top-level await)"}`), TIMEOUT, async () => {
    const dir = await project(name);
    layPage(dir);
    if (defaultBuildWorks) {
      await viteBuild(dir);
      await assertBuildWorks(`${dir}/dist`, label("vite build"));
    } else {
      const outcome = await attempt(async () => (await viteBuild(dir), runBuilt(`${dir}/dist`)));
      assertFails(outcome, NO_TOP_LEVEL_AWAIT, label("vite build"));
    }
  });

  test(label(`vite dev, no configuration${major === 8 ? "" : " (fails)"}`), TIMEOUT, async () => {
    const dir = await project(name);
    layPage(dir);
    const outcome = await attempt(() => viteDev(dir));
    if (major === 8) assertWorks(outcome, label("vite dev"));
    else assertFails(outcome, major === 7 ? HTML_AS_WASM : NO_TOP_LEVEL_AWAIT, label("vite dev"));
  });

  if (major === 8) continue;
  if (!defaultBuildWorks) {
    test(label("vite build, no configuration, threeds-kit/no-await"), TIMEOUT, async () => {
      const dir = await project(name);
      layPage(dir, { noAwait: true });
      await viteBuild(dir);
      await assertBuildWorks(`${dir}/dist`, label("vite build with threeds-kit/no-await"));
    });
    test(label("vite build, the README's vite.config.js"), TIMEOUT, async () => {
      const dir = await project(name);
      layPage(dir);
      writeFileSync(`${dir}/vite.config.js`, recipe("vite.config.js"));
      await viteBuild(dir);
      await assertBuildWorks(`${dir}/dist`, label("vite build with the README's vite.config.js"));
    });
  }
  test(label("vite dev, the README's vite.config.js"), TIMEOUT, async () => {
    const dir = await project(name);
    layPage(dir);
    writeFileSync(`${dir}/vite.config.js`, recipe("vite.config.js"));
    assertWorks(await viteDev(dir), label("vite dev with the README's vite.config.js"));
  });
}

test(`Vite ${version("vite8", "vite")}: the README's on-demand import, fetched when the customer pays`, TIMEOUT, async () => {
  const dir = await project("vite8");
  layOnDemandPage(dir);
  await viteBuild(dir);
  await assertLoadsOnPay(`${dir}/dist`, `Vite ${version("vite8", "vite")}, on demand`);
});

/** webpack with no configuration: src/index.js in, dist/main.js out, a classic script. */
async function webpackBuild(dir) {
  await run("node", [`${dir}/node_modules/webpack-cli/bin/cli.js`], dir);
  writeFileSync(`${dir}/dist/index.html`, readFileSync(`${dir}/index.html`, "utf8").replace(`<script type="module" src="./main.js">`, `<script src="./main.js">`));
}

test(`webpack ${version("webpack", "webpack")}: the README's on-demand import, fetched when the customer pays`, TIMEOUT, async () => {
  const dir = await project("webpack");
  layOnDemandPage(dir, "src/index.js");
  await webpackBuild(dir);
  await assertLoadsOnPay(`${dir}/dist`, `webpack ${version("webpack", "webpack")}, on demand`);
});

test(`webpack ${version("webpack", "webpack")} (webpack-cli ${version("webpack", "webpack-cli")}): no configuration`, TIMEOUT, async () => {
  const dir = await project("webpack");
  layPage(dir, { main: "src/index.js" }); // webpack's default entry; the default output is dist/main.js, a script
  await webpackBuild(dir);
  await assertBuildWorks(`${dir}/dist`, `webpack ${version("webpack", "webpack")}`);
});

test(`Parcel ${version("parcel", "parcel")}: no configuration`, TIMEOUT, async () => {
  const dir = await project("parcel");
  layPage(dir);
  await run(bin(dir, "parcel"), ["build", "index.html", "--no-cache"], dir);
  await assertBuildWorks(`${dir}/dist`, `Parcel ${version("parcel", "parcel")}`);
});

const esbuildLabel = `esbuild ${version("esbuild", "esbuild")}`;
test(`${esbuildLabel}: --bundle --format=esm alone (fails: the wasm is not beside the bundle)`, TIMEOUT, async () => {
  const dir = await project("esbuild");
  layPage(dir);
  const outcome = await attempt(async () => {
    await run(bin(dir, "esbuild"), ["main.js", "--bundle", "--format=esm", "--outdir=dist"], dir);
    copyFileSync(`${dir}/index.html`, `${dir}/dist/index.html`);
    return runBuilt(`${dir}/dist`);
  });
  assertFails(outcome, /404 \S+\/wasm\/browser_bg\.wasm/, `${esbuildLabel} without the copy`);
});

test(`${esbuildLabel}: the README's commands`, TIMEOUT, async () => {
  const dir = await project("esbuild");
  layPage(dir);
  await run("bash", ["-euo", "pipefail", "-c", recipe("esbuild")], dir, { PATH: `${dir}/node_modules/.bin:${process.env.PATH}` });
  copyFileSync(`${dir}/index.html`, `${dir}/dist/index.html`);
  await assertBuildWorks(`${dir}/dist`, `${esbuildLabel} with the README's commands`);
});

test(`Rollup ${version("rollup", "rollup")}: the README's rollup.config.mjs`, TIMEOUT, async () => {
  const dir = await project("rollup");
  layPage(dir);
  writeFileSync(`${dir}/rollup.config.mjs`, recipe("rollup.config.mjs"));
  await run(bin(dir, "rollup"), ["-c"], dir);
  copyFileSync(`${dir}/index.html`, `${dir}/dist/index.html`);
  await assertBuildWorks(`${dir}/dist`, `Rollup ${version("rollup", "rollup")} with the README's rollup.config.mjs`);
});

// Next.js: the App Router page's client component runs runMethod (the browser build in the browser, and the
// package imported during prerendering on the server); the notification URL is the app's own route handler,
// which answers with respondToNotification from "threeds-kit/full", posting to the app's origin.
const nextLabel = `Next.js ${version("next", "next")}`;
async function runNext(dir, command, label) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = { MERCHANT_ORIGIN: origin, NEXT_TELEMETRY_DISABLED: "1" };
  const server = await startServer("node", [`${dir}/node_modules/next/dist/bin/next`, command, "--port", String(port), "--hostname", "127.0.0.1"], { cwd: dir, env, url: origin });
  try {
    const outcome = await methodFlow({ browser, demo, pageUrl: `${origin}/`, notificationUrl: `${origin}/3ds/method-notification`, timeout: 60000 });
    assertWorks({ ...outcome, serverOutput: server.output() }, label);
    // A production server is what customers' browsers meet: every engine. (`next dev` is a developer's, in Chromium.)
    if (command === "start") await assertWorksInEngines(`${origin}/`, `${origin}/3ds/method-notification`, label, { timeout: 60000 });
  } finally {
    server.stop();
  }
}

for (const [what, buildArgs] of [["next build (Turbopack) + next start", ["build"]], ["next build --webpack + next start", ["build", "--webpack"]]]) {
  test(`${nextLabel}: ${what}, no configuration`, TIMEOUT, async () => {
    const dir = await project("next");
    await run("node", [`${dir}/node_modules/next/dist/bin/next`, ...buildArgs], dir, { NEXT_TELEMETRY_DISABLED: "1" });
    await runNext(dir, "start", `${nextLabel}: ${what}`);
  });
}

test(`${nextLabel}: next dev (Turbopack), no configuration`, TIMEOUT, async () => {
  const dir = await project("next");
  await runNext(dir, "dev", `${nextLabel}: next dev`);
});
