// The payload inspector page in each engine, under the demo server's strict CSP (and Trusted Types where the
// engine has them), with the package installed from the tarball.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { withDemoAndBrowser } from "./support.mjs";
import { testEngines } from "./browsers.mjs";

for (const engine of testEngines()) {
  describe(engine, () => {
    const context = withDemoAndBrowser(engine);
    let page;

    before(async () => {
      page = await context.browser.newPage();
      await page.goto(`${context.demo.origin}/inspector.html`);
      await page.waitForSelector("body[data-ready]", { timeout: 20000 });
      // What goes wrong in the page from here on (a load-time error would have kept data-ready away).
      await page.evaluate(() => {
        window.pageErrors = [];
        addEventListener("error", (e) => pageErrors.push(String(e.message)));
        addEventListener("unhandledrejection", (e) => pageErrors.push(String(e.reason)));
      });
    });

    test("a pasted cres form body is explained field by field, with its deviations", async () => {
      await page.click("[data-example=cres]");
      assert.equal(await page.textContent("#report h2"), "Kind: cres");
      const warnings = await page.allTextContents(".warnings li");
      assert.ok(warnings.some((w) => w.includes("padded")), warnings.join("|"));
      assert.ok(warnings.some((w) => w.includes('"Cres"')), warnings.join("|"));
      const rows = await page.allTextContents("table tr");
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
      assert.equal(await page.count("#report img"), 0);
      assert.match(await page.textContent("#report table"), /<img src=x/);
      assert.equal(await page.evaluate(() => window.pwned), undefined);
      assert.deepEqual(await page.evaluate(() => window.pageErrors), []);
    });
  });
}
