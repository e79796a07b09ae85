// The payload inspector page in real Chromium, under the demo server's strict CSP and Trusted Types,
// with the package installed from the tarball.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, startDemoServer } from "./support.mjs";

let browser, demo, page;
const pageErrors = [];

before(async () => {
  demo = await startDemoServer();
  browser = await launchChromium();
  page = await browser.newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(`${demo.origin}/inspector.html`);
  await page.waitForSelector("body[data-ready]", { timeout: 20000 });
});

after(async () => {
  await browser?.close();
  demo?.stop();
});

test("a pasted cres form body is explained field by field, with its deviations", async () => {
  await page.click("[data-example=cres]");
  assert.equal(await page.textContent("#report h2"), "Kind: cres");
  const warnings = await page.locator(".warnings li").allTextContents();
  assert.ok(warnings.some((w) => w.includes("padded")), warnings.join("|"));
  assert.ok(warnings.some((w) => w.includes('"Cres"')), warnings.join("|"));
  const rows = await page.locator("table tr").allTextContents();
  assert.ok(rows.some((r) => r.includes("transStatus") && r.includes("outcome: authenticated")), rows.join("|"));
});

test("errors show the ThreeDsError code and message", async () => {
  await page.click("[data-example=shift4]");
  assert.equal(await page.textContent(".error strong"), "invalid_field");
  assert.match(await page.textContent(".error"), /threeDSMethodNotificationURL/);
  await page.fill("#payload", "not base64 at all!");
  assert.equal(await page.textContent(".error strong"), "invalid_base64");
});

test("hostile payload text is shown as text, never run as markup", async () => {
  const erro = { messageType: "Erro", errorCode: "101", errorComponent: "A", errorDescription: "<img src=x onerror=window.pwned=1>" };
  await page.fill("#payload", Buffer.from(JSON.stringify(erro)).toString("base64"));
  assert.equal(await page.locator("#report img").count(), 0);
  assert.match(await page.textContent("#report table"), /<img src=x/);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(pageErrors, []);
});
