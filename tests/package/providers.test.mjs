// Each provider end to end in each engine (Chromium, Firefox, WebKitGTK): the mock provider's API response -> nextAction -> perform ->
// the provider's hosted page on another origin -> the return -> parseReturn on the merchant server.
// Then perform() on its own, in the strict-CSP harness page.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { withDemoAndBrowser } from "./support.mjs";
import { testEngines } from "./browsers.mjs";

/** A script that starts a navigation, which may end it before it answers (chromedriver then says "script
 * timeout" at once, Firefox answers null): where the page went is what the test reads next. */
const navigating = (promise) =>
  promise.catch((e) => {
    if (!/script timeout|navigated during the script/.test(String(e?.message))) throw e;
  });

for (const engine of testEngines()) {
  describe(engine, () => {
    const context = withDemoAndBrowser(engine);

    async function walkThrough(provider, otp) {
      const page = await context.browser.newPage();
      try {
        await page.goto(`${context.demo.origin}/providers.html`);
        await page.waitForSelector("body[data-ready]");
        await page.selectOption("#provider", provider);
        await page.click("#pay");
        await page.waitForSelector("#otp", { timeout: 15000 });
        const url = await page.url();
        assert.ok(url.startsWith(context.demo.acsOrigin), `the provider's page is on its own origin: ${url}`);
        await page.fill("#otp", otp);
        await page.click("#submit");
        await page.waitForSelector("body[data-returned]", { timeout: 15000 });
        const timeline = await page.textContent("#timeline");
        return { result: JSON.parse(await page.textContent("#result")), timeline };
      } finally {
        await page.close();
      }
    }

    describe("providers, from nextAction to parseReturn", () => {
      const expectations = {
        komoju: { outcome: "pending", trusted: false, verifyWithServer: true, action: "redirect" },
        veritrans: { outcome: "authenticated", trusted: true, verifyWithServer: true, action: "html" },
        ingenico: { outcome: "pending", trusted: true, verifyWithServer: true, action: "redirect" },
        shift4: { outcome: "authenticated", trusted: false, verifyWithServer: true, action: "method" },
        acquired: { outcome: "authenticated", trusted: true, verifyWithServer: false, action: "redirect" },
      };
      for (const [provider, expected] of Object.entries(expectations)) {
        test(`${provider}: the customer passes`, async () => {
          const { result, timeline } = await walkThrough(provider, "123456");
          assert.equal(result.provider, provider, JSON.stringify(result));
          assert.deepEqual([result.outcome, result.trusted, result.verifyWithServer], [expected.outcome, expected.trusted, expected.verifyWithServer]);
          assert.match(timeline, new RegExp(`nextAction: ${expected.action}`));
        });
      }

      test("shift4: the 3DS Method ran first (compInd Y), then the challenge redirect", async () => {
        const { timeline } = await walkThrough("shift4", "123456");
        assert.match(timeline, /perform: method \(compInd Y/);
        assert.match(timeline, /nextAction: redirect/);
      });

      test("failures are normalised too: VeriTrans GE11, Acquired tds_failed, Shift4 D", async () => {
        const veritrans = (await walkThrough("veritrans", "111111")).result;
        assert.deepEqual([veritrans.outcome, veritrans.trusted, veritrans.reason], ["not_authenticated", true, "GE11000000000000"]);
        const acquired = (await walkThrough("acquired", "111111")).result;
        assert.deepEqual([acquired.outcome, acquired.trusted, acquired.reason], ["not_authenticated", true, "low_confidence"]);
        const shift4 = (await walkThrough("shift4", "111111")).result;
        assert.equal(shift4.outcome, "not_authenticated");
      });
    });

    describe("perform", () => {
      let page;
      before(async () => {
        page = await context.browser.newPage();
        await page.goto(`${context.demo.origin}/harness.html`);
        await page.waitForSelector("body[data-ready]");
      });
      after(() => page.close());

      test("an HTML action's form is rebuilt from DOM nodes: provider scripts never run in the merchant page", async () => {
        const outcome = await page.evaluate(async (acs) => {
          const html = `<html><head><script>parent.pwned = 1</script></head><body onload="parent.pwned = 2">
            <form method="post" action="${acs}/veritrans/auth"><input type="hidden" name="PaReq" value="x&amp;y"><input type="hidden" name="MD" value="nope"></form>
            <img src=x onerror="parent.pwned = 3"></body></html>`;
          const result = await tds.perform({ type: "html", html, topLevel: false }, { display: "iframe", challengeWindowSize: "02", container: document.getElementById("box") });
          const frame = document.querySelector("iframe[name^=threeds-kit-provider]");
          return { result, sandbox: frame.getAttribute("sandbox"), width: frame.getBoundingClientRect().width, scripts: document.scripts.length };
        }, context.demo.acsOrigin);
        assert.deepEqual(outcome.result, { type: "shown" });
        assert.match(outcome.sandbox, /allow-forms/);
        assert.equal(outcome.width, 390);
        await page.frame("iframe[name^=threeds-kit-provider]").waitFor("#otp", { timeout: 10000 });
        assert.equal(await page.evaluate(() => window.pwned ?? null), null);
        await page.evaluate(() => document.querySelector("iframe[name^=threeds-kit-provider]").remove());
      });

      // Fields a provider may well send, named like the form's own properties and methods: as inputs they shadow
      // form.submit, form.action, form.method, ... (named form controls are properties of the form).
      const shadowing = { submit: "s-value", action: "a-value", method: "m-value", target: "t-value", enctype: "e-value", remove: "r-value", appendChild: "c-value", PaReq: "x&y=z" };
      const sorted = (pairs) => [...pairs].sort(([a], [b]) => (a < b ? -1 : 1));

      test("POST fields named submit, action, method, target, enctype reach the provider's page in the iframe, and no form stays", async () => {
        const outcome = await page.evaluate(async ([acs, fields]) => {
          const result = await tds
            .perform({ type: "redirect", url: `${acs}/probe/echo?keep=1`, method: "POST", fields, iframeAllowed: true }, { display: "iframe", challengeWindowSize: "02", container: document.getElementById("box") })
            .catch((e) => `${e.code}: ${e.message}`);
          return { result, forms: document.querySelectorAll("form").length, iframes: document.querySelectorAll("iframe").length };
        }, [context.demo.acsOrigin, shadowing]);
        try {
          assert.deepEqual(outcome, { result: { type: "shown" }, forms: 0, iframes: 1 });
          const received = JSON.parse(await page.frame("iframe[name^=threeds-kit-provider]").textContent("#received", { timeout: 10000 }));
          assert.deepEqual({ ...received, fields: sorted(received.fields) }, { method: "POST", contentType: "application/x-www-form-urlencoded", query: [["keep", "1"]], fields: sorted(Object.entries(shadowing)) });
        } finally {
          await page.evaluate(() => document.querySelectorAll("iframe").forEach((f) => f.remove()));
        }
      });

      test("an HTML action with the same field names is submitted at the top level intact", async () => {
        const top = await context.browser.newPage();
        try {
          await top.goto(`${context.demo.origin}/harness.html`);
          await top.waitForSelector("body[data-ready]");
          const inputs = Object.entries(shadowing).map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replace("&", "&amp;")}">`).join("");
          const html = `<html><body><form method="post" action="${context.demo.acsOrigin}/probe/echo">${inputs}</form></body></html>`;
          await navigating(top.evaluate((html) => {
            tds.perform({ type: "html", html, topLevel: true }).then((r) => (window.performed = r), (e) => (window.performed = `${e.code}: ${e.message}`));
          }, html));
          await top.waitForURL(`${context.demo.acsOrigin}/probe/echo`, { timeout: 10000 });
          const received = JSON.parse(await top.textContent("#received"));
          assert.deepEqual({ ...received, fields: sorted(received.fields) }, { method: "POST", contentType: "application/x-www-form-urlencoded", query: [], fields: sorted(Object.entries(shadowing)) });
        } finally {
          await top.close();
        }
      });

      test("provider HTML: perform submits exactly what the engine itself submits for the same document, decoys included", async () => {
        const echo = `${context.demo.acsOrigin}/probe/echo`;
        const real = `<form method=post action="${echo}?form=real">`;
        const decoy = `<form method=post action="${echo}?form=decoy"><input name=stolen value=1>`;
        const fields = `<input type=hidden name=PaReq value="eJx+/=&amp;"><input name=MD value="m">`;
        const documents = {
          "inside a title": `<title>${decoy}</title>${real}${fields}</form>`,
          "inside noscript, noembed, noframes, xmp, iframe and style": ["noscript", "noembed", "noframes", "xmp", "iframe", "style"].map((t) => `<${t}>${decoy}</${t}>`).join("") + `${real}${fields}</form>`,
          "inside a template": `<template><template></template>${decoy}</template>${real}${fields}</form>`,
          "inside SVG and MathML": `<svg><g>${decoy}</g></svg><math>${decoy}</math>${real}${fields}</form>`,
          "inside a script's escaped section": `<script><!--<script></script>${decoy}</script>--></script>${real}${fields}</form>`,
          "after a script's '<!-->', which escapes nothing": `<script><!--><script></script>${real}${fields}</form></script>${decoy}</form>`,
          "in a CDATA section and a comment": `<![CDATA[${decoy}]]><!-- ${decoy} -->${real}${fields}</form>`,
          "in bogus comments ('</' before a non-letter)": `</ ${decoy}</1${decoy}${real}${fields}</form>`,
          "after comments a browser ends early ('<!-->', '--!>')": `<!-->${real}${fields}</form><!-- ${decoy} -->`,
          "after a comment ended by '--!>'": `<!-- ${decoy} --!>${real}${fields}</form><!-- -->`,
          "values as input types sanitise them": `${real}${fields}<input name=t value="a&#10;b&#13;"><input type=url name=u value=" https://x.example/&#10; ">` +
            `<input type=email name=e value=" a@b.example "><input type="hidden " name=h value="c&#10;d"><input type=file name=f></form>`,
          "character references": `${real}<input name=r1 value="&lt&gt&copy x&AMP;&eacute;"><input name=r2 value="&#x80;&#150;&#0000000000065&#x81;">` +
            `<input name=r3 value="?a=1&copy=2&notify=3&ampx"></form>`,
          "a GET form replaces its action's query": `<form action="${echo}?form=real&token=1" method=get><input name=form value=real></form>`,
          "inputs a browser leaves out": `${real}${fields}<input name=off value=1 disabled><input type=checkbox name=box><input type=checkbox name=tick checked>` +
            `<input type=radio name=r value=1 checked><input type=hidden name=_charset_><input name=elsewhere form=other value=1><input name=ref value="&#0;&#xD800;&#x110000;">` +
            `<table><tr><td><input name=cell value=1></td></tr></table><fieldset><input name=fs value=1></fieldset><input type=image name=img><input type=submit name=go></form>` +
            `<input name=late form=nothing value=2>`,
        };
        const submittedBy = async (how, html) => {
          const tab = await context.browser.newPage();
          try {
            if (how === "engine") {
              // The browser's own reading: the document parsed as a page's, its first form submitted by script.
              await tab.goto("about:blank");
              await navigating(tab.evaluate((html) => {
                document.open();
                document.write(html);
                document.close();
                document.forms[0].submit();
              }, html));
            } else {
              await tab.goto(`${context.demo.origin}/harness.html`);
              await tab.waitForSelector("body[data-ready]");
              await navigating(tab.evaluate((html) => {
                tds.perform({ type: "html", html, topLevel: true }).catch((e) => (window.performed = e.code));
              }, html));
            }
            await tab.waitForURL(/\/probe\/echo/, { timeout: 10000 });
            return JSON.parse(await tab.textContent("#received"));
          } finally {
            await tab.close();
          }
        };
        for (const [what, html] of Object.entries(documents)) {
          const own = await submittedBy("engine", html);
          assert.deepEqual(own.query, [["form", "real"]], `${what}: ${engine} itself takes the real form`);
          assert.deepEqual(await submittedBy("perform", html), own, what);
        }
      });

      test("provider HTML this reader cannot read exactly as the engine does is refused, not guessed", async () => {
        const echo = `${context.demo.acsOrigin}/probe/echo`;
        const decoy = `<form method=post action="${echo}?form=decoy"><input name=stolen value=1></form>`;
        const real = `<form method=post action="${echo}?form=real"><input name=PaReq value=x>`;
        const documents = {
          "a form in SVG's foreignObject": [`<svg><foreignObject>${decoy}</foreignObject></svg>${real}</form>`, "html must be a document without HTML inside SVG or MathML"],
          "a form in MathML's mtext": [`<math><mtext>${decoy}</mtext></math>${real}</form>`, "html must be a document without HTML inside SVG or MathML"],
          "a form after a tag that breaks out of SVG": [`<svg><p>${decoy}</svg>${real}</form>`, "html must be a document without HTML inside SVG or MathML"],
          "an input a browser rewrites": [`${real}<input type=range name=r value=1000></form>`, `html input "r" must be of a type whose value a browser sends as written, not "range"`],
          "a named reference outside Latin-1": [`${real}<input name=n value="&hellip;"></form>`, `html must be a document whose character references are numeric or of HTML's Latin-1 set (got "&hellip;")`],
          "a select, which an input ends (a form inside it is a form)": [`<select><input><form method=post action="${echo}?form=decoy"></select>${real}</form>`, "html must be a form of inputs (a <select> is not read)"],
          "a textarea": [`${real}<textarea name=t>&#10;x</textarea></form>`, "html must be a form of inputs (a <textarea> is not read)"],
          "a disabled fieldset": [`<fieldset disabled>${real}</form></fieldset>`, "html must be a form without a disabled <fieldset>"],
          "an input before the form, given to it": [`<input name=early form=f1 value=1>${real.replace("<form ", "<form id=f1 ")}</form>`, "html must be a form no field before it names with a form attribute"],
          "another charset": [`${real.replace("<form ", "<form accept-charset=iso-8859-1 ")}<input name=a value="caf&eacute;"></form>`, `html form accept-charset must be UTF-8 (got "iso-8859-1")`],
          "two checked radio buttons of one name": [`${real}<input type=radio name=r value=1 checked><input type=radio name=r value=2 checked></form>`, "html must be a form with one checked radio button of each name"],
          "a form closed inside a table": [`${real}<table><tr><td></form><input name=x></td></tr></table>`, "html must be a form closed outside any table it opened"],
        };
        const tab = await context.browser.newPage();
        try {
          await tab.goto(`${context.demo.origin}/harness.html`);
          await tab.waitForSelector("body[data-ready]");
          for (const [what, [html, message]] of Object.entries(documents)) {
            const result = await tab.evaluate(
              (html) => tds.perform({ type: "html", html, topLevel: true }).then((r) => r.type, (e) => [e.code, e.message, document.querySelectorAll("form, iframe").length]),
              html,
            );
            assert.deepEqual(result, ["invalid_field", message, 0], what);
          }
          assert.equal(await tab.url(), `${context.demo.origin}/harness.html`);
        } finally {
          await tab.close();
        }
      });

      test("an iframe action into a container outside the document is an error, and leaves nothing", async () => {
        const acs = context.demo.acsOrigin;
        const results = await page.evaluate(async (acs) => {
          const out = [];
          for (const container of [document.createElement("div"), document.createElement("template").content.appendChild(document.createElement("div"))]) {
            for (const method of ["POST", "GET"]) {
              const action = { type: "redirect", url: `${acs}/probe/echo`, method, fields: { a: "1" }, iframeAllowed: true };
              out.push(await tds.perform(action, { display: "iframe", container }).then((r) => r.type, (e) => e.code));
              out.push(container.children.length);
            }
          }
          return out;
        }, acs);
        assert.deepEqual(results, ["unsupported_environment", 0, "unsupported_environment", 0, "unsupported_environment", 0, "unsupported_environment", 0]);
      });

      test("an aborted signal stops every action before it navigates, and leaves nothing", async () => {
        const acs = context.demo.acsOrigin;
        const results = await page.evaluate(async (acs) => {
          const signal = AbortSignal.abort();
          const box = document.getElementById("box");
          const actions = [
            [{ type: "redirect", url: `${acs}/probe/echo`, method: "POST", fields: { a: "1" }, iframeAllowed: true }, { display: "iframe" }],
            [{ type: "redirect", url: `${acs}/probe/echo`, method: "GET", fields: {}, iframeAllowed: true }, { display: "iframe" }],
            [{ type: "redirect", url: `${acs}/probe/echo`, method: "POST", fields: { a: "1" }, iframeAllowed: false }, {}],
            [{ type: "redirect", url: `${acs}/probe/echo`, method: "GET", fields: {}, iframeAllowed: false }, {}],
            [{ type: "html", html: `<form method=post action="${acs}/probe/echo"><input name=a value=1></form>`, topLevel: true }, {}],
          ];
          const out = [];
          for (const [action, options] of actions) {
            out.push(await tds.perform(action, { ...options, signal, container: box }).then((r) => r.type, (e) => e.code));
          }
          // An abort from the page while the iframe is inserted (its load event fires then): nothing is posted.
          const controller = new AbortController();
          const onLoad = (e) => e.target.name?.startsWith("threeds-kit") && controller.abort();
          document.addEventListener("load", onLoad, true);
          const [action, options] = actions[0];
          out.push(await tds.perform(action, { ...options, signal: controller.signal, container: box }).then((r) => r.type, (e) => e.code));
          document.removeEventListener("load", onLoad, true);
          return [out, document.querySelectorAll("iframe, form").length];
        }, acs);
        assert.deepEqual(results, [["aborted", "aborted", "aborted", "aborted", "aborted", "aborted"], 0]);
        assert.equal(await page.url(), `${context.demo.origin}/harness.html`);
      });

      test("a page that refuses the form submission gets a typed error and no form or iframe left behind", async () => {
        const results = await page.evaluate(async (acs) => {
          const real = HTMLFormElement.prototype.submit;
          HTMLFormElement.prototype.submit = function () {
            throw new Error("submission refused by the page");
          };
          const out = [];
          try {
            for (const display of ["iframe", "top"]) {
              const action = { type: "redirect", url: `${acs}/probe/echo`, method: "POST", fields: { submit: "1" }, iframeAllowed: true };
              out.push(await tds.perform(action, { display, container: document.getElementById("box") }).then((r) => r, (e) => e.code));
              out.push(document.querySelectorAll("iframe, form").length);
            }
          } finally {
            HTMLFormElement.prototype.submit = real;
          }
          return out;
        }, context.demo.acsOrigin);
        assert.deepEqual(results, ["unsupported_environment", 0, "unsupported_environment", 0]);
      });

      test("the provider iframe may take the customer to the top level from a click, never by itself", async () => {
        const acs = context.demo.acsOrigin;
        const harness = `${context.demo.origin}/harness.html`;
        const framed = await context.browser.newPage();
        const show = (how) =>
          framed.evaluate(async ([acs, how]) => {
            document.querySelector("iframe")?.remove();
            await tds.perform({ type: "redirect", url: `${acs}/probe/leave?how=${how}${how === "auto" ? "&auto=1" : ""}`, iframeAllowed: true }, { display: "iframe", challengeWindowSize: "02", container: document.getElementById("box") });
            return document.querySelector("iframe[name^=threeds-kit-provider]").getAttribute("sandbox").split(" ");
          }, [acs, how]);
        try {
          await framed.goto(harness);
          await framed.waitForSelector("body[data-ready]");
          // The page tries to leave on load, without the customer's click: the browser must refuse.
          const sandbox = await show("auto");
          const frame = framed.frame("iframe[name^=threeds-kit-provider]");
          await framed.waitForTimeout(1500);
          assert.equal(await framed.url(), harness, "a framed provider page navigated the top level without a click");
          assert.match(await frame.textContent("#status"), /^auto: refused \(SecurityError\)$/);
          assert.ok(sandbox.includes("allow-top-navigation-by-user-activation"), sandbox.join(" "));
          assert.ok(!sandbox.includes("allow-top-navigation"), sandbox.join(" "));
          // The same page, after the customer's click on its button, ends the flow at the top level.
          await show("click");
          await frame.click("#finish");
          await framed.waitForURL(`${harness}?left=click`, { timeout: 10000 });
        } finally {
          await framed.close();
        }
      });

      test("none and fail need nothing; method runs runMethod; bad actions are typed errors", async () => {
        const results = await page.evaluate(async (acs) => {
          const out = [];
          out.push(await tds.perform({ type: "none", status: "OK", detail: {} }));
          out.push(await tds.perform({ type: "fail", reason: "card_not_enrolled", retryable: false }));
          const prepared = await (await fetch("/api/3ds/prepare", { method: "POST", body: JSON.stringify({ scenario: "frictionless" }) })).json();
          const method = tds.nextAction("shift4", { result: [{ transaction: { responseCode: "H" }, threeDSecure: { trxId: prepared.threeDSServerTransID, redirectUrl: prepared.methodUrl } }] }, { methodNotificationUrl: prepared.notificationUrl });
          out.push(await tds.perform(method));
          for (const [action, options] of [
            [{ type: "teleport" }, undefined],
            [{ type: "redirect", url: "javascript:alert(1)" }, undefined],
            [{ type: "redirect", url: `${acs}/x`, iframeAllowed: false }, { display: "iframe" }],
            [{ type: "html", html: "<p>no form</p>" }, undefined],
            [{ type: "method", methodUrl: `${acs}/acs/method`, threeDSServerTransID: prepared.threeDSServerTransID }, undefined],
          ]) {
            out.push(await tds.perform(action, options).then((r) => r, (e) => `${e.code}:${e.message}`));
          }
          return out;
        }, context.demo.acsOrigin);
        assert.deepEqual(results[0], { type: "none" });
        assert.deepEqual(results[1], { type: "fail" });
        assert.equal(results[2].type, "method");
        assert.equal(results[2].compInd, "Y");
        assert.match(results[3], /^invalid_field:.*type/);
        assert.match(results[4], /^invalid_field:.*url/);
        assert.match(results[5], /^invalid_field:.*display/);
        assert.match(results[6], /^invalid_field:.*html/);
        assert.match(results[7], /^missing_field:.*notificationUrl/);
        assert.equal(await page.evaluate(() => document.querySelectorAll("iframe, form").length), 0);
      });
    });
  });
}
