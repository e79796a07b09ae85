// The browser steps end to end in each engine (Chromium, Firefox, WebKitGTK): the packed package's browser
// entry in the merchant page (127.0.0.1, strict CSP, Trusted Types enforced), the mock ACS on another origin (localhost), the notification responder on the
// merchant server. Time windows are generous; precision belongs in the benchmark.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { withDemoAndBrowser } from "./support.mjs";
import { testEngines } from "./browsers.mjs";

for (const engine of testEngines()) {
  describe(engine, () => {
    const context = withDemoAndBrowser(engine);
    let page;

    async function openHarness() {
      page = await context.browser.newPage();
      const url = `${context.demo.origin}/harness.html`;
      // The page the engine loads is the one this response describes: the same server, the same headers.
      const response = await fetch(url);
      await response.text();
      assert.match(response.headers.get("content-security-policy"), /require-trusted-types-for 'script'/);
      await page.goto(url);
      await page.waitForSelector("body[data-ready]", { timeout: 20000 });
      return page;
    }

    /** Asks the mock 3DS server for a transaction of `scenario`; `methodQuery` adds ACS test hooks. */
    const prepare = (scenario, methodQuery = "") =>
      page.evaluate(async ([scenario, methodQuery]) => (await fetch("/api/3ds/prepare", { method: "POST", body: JSON.stringify({ scenario, methodQuery }) })).json(), [scenario, methodQuery]);

    const authenticate = (id, mode = "iframe") =>
      page.evaluate(async ([id, mode]) => (await fetch("/api/3ds/authenticate", { method: "POST", body: JSON.stringify({ threeDSServerTransID: id, compInd: "U", mode }) })).json(), [id, mode]);

    /** Runs runMethod in the page; resolves to { ok, value | code, message }. */
    const runMethod = (options) =>
      page.evaluate(async (options) => {
        try {
          return { ok: true, value: await tds.runMethod(options) };
        } catch (e) {
          return { ok: false, name: e.name, code: e.code, message: e.message };
        }
      }, options);

    /** What a finished flow may not leave behind. */
    const leftovers = () => page.evaluate(() => ({ iframes: document.querySelectorAll("iframe").length, forms: document.querySelectorAll("form").length, listeners: messageListenerCount() }));
    const clean = { iframes: 0, forms: 0, listeners: 0 };

    /** The page's frame whose document is at `url` (origin and path; once it has loaded). */
    async function frameAt(url, timeout = 10000) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const frames = await page.frames();
        const frame = frames.find((f) => f.url().split("?")[0] === url);
        if (frame) return frame;
        if (Date.now() > deadline) throw new Error(`no frame at ${url}: ${frames.map((f) => f.url())}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    /**
     * Asserts what the permissions policy allows inside `frame`, feature by feature, read through
     * document.featurePolicy (Chromium; Firefox with its pref on, as the session sets it), for the features the
     * engine has: Firefox has no Payment Request API, so "payment" is no policy feature there. WebKit has no script
     * API for the policy: there only the allow attribute the package wrote is asserted (and the day WebKit gains
     * the API, this fails and asks for the full check).
     */
    async function assertPolicyInside(frame, expected) {
      const policy = await frame.evaluate((features) => {
        if (!document.featurePolicy) return null;
        const known = document.featurePolicy.features();
        return Object.fromEntries(features.filter((f) => known.includes(f)).map((f) => [f, document.featurePolicy.allowsFeature(f)]));
      }, Object.keys(expected));
      assert.equal(policy === null, engine === "webkit", `document.featurePolicy in ${engine}`);
      if (!policy) return;
      assert.ok(Object.keys(policy).includes("publickey-credentials-get"), `${engine} knows the WebAuthn feature`);
      assert.deepEqual(policy, Object.fromEntries(Object.entries(expected).filter(([f]) => f in policy)));
    }

    /** Runs `run` while the page's HTMLFormElement.prototype.submit throws (a page script or extension refusing it). */
    async function withRefusedSubmit(run) {
      await page.evaluate(() => {
        window.realSubmit = HTMLFormElement.prototype.submit;
        HTMLFormElement.prototype.submit = function () {
          throw new Error("submission refused by the page");
        };
      });
      try {
        return await run();
      } finally {
        await page.evaluate(() => (HTMLFormElement.prototype.submit = window.realSubmit));
      }
    }

    describe("3DS Method", () => {
      before(openHarness);
      after(() => page.close());

      test("the page enforces Trusted Types in this engine: markup built from a string throws", async () => {
        const verdict = await page.evaluate(() => {
          try {
            document.createElement("div").innerHTML = "<b>x</b>";
            return "not enforced";
          } catch (e) {
            return e.name;
          }
        });
        assert.equal(verdict, "TypeError");
      });

      test("no method URL: compInd U at once, no DOM touched", async () => {
        const result = await runMethod({ methodUrl: null, threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", notificationUrl: `${context.demo.origin}/3ds/method-notification` });
        assert.deepEqual(result, { ok: true, value: { compInd: "U", elapsedMs: 0 } });
        assert.deepEqual(await leftovers(), clean);
      });

      test("the notification arrives: compInd Y, and nothing is left behind", async () => {
        const tx = await prepare("frictionless");
        const result = await runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl });
        assert.equal(result.value.compInd, "Y", JSON.stringify(result));
        assert.ok(result.value.elapsedMs < 8000, `${result.value.elapsedMs} ms`);
        assert.deepEqual(await leftovers(), clean);
      });

      test("a notification with the ID under a misspelled key still counts (key drift)", async () => {
        const tx = await prepare("frictionless", "drift=1");
        const result = await runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl });
        assert.equal(result.value.compInd, "Y", JSON.stringify(result));
      });

      test("a notification URL written otherwise than browsers write its origin still counts (origins normalised)", async () => {
        // The same server, its host written as an IPv4 literal in hex and its scheme and port in other forms:
        // the notification page's event.origin is http://127.0.0.1:<port> all the same.
        const tx = await prepare("frictionless");
        const written = tx.notificationUrl.replace("http://127.0.0.1:", "HTTP://0x7f.1:0");
        assert.notEqual(written, tx.notificationUrl);
        const result = await runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: written, timeoutMs: 6000 });
        assert.equal(result.value?.compInd, "Y", JSON.stringify(result));
        // A host no browser would load is refused at once, not after a silent timeout.
        const refused = await runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: "https://merchant.e:xample:443/n" });
        assert.deepEqual([refused.ok, refused.code], [false, "invalid_field"], JSON.stringify(refused));
        assert.deepEqual(await leftovers(), clean);
      });

      test("no notification: compInd N after exactly the default 10 seconds, nothing left behind", async () => {
        const tx = await prepare("method-times-out");
        const result = await runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl });
        assert.equal(result.value.compInd, "N");
        assert.ok(result.value.elapsedMs >= 9990 && result.value.elapsedMs < 13000, `${result.value.elapsedMs} ms`);
        assert.deepEqual(await leftovers(), clean);
      });

      test("a perfect-looking message from the ACS origin, in our iframe, is ignored (wrong origin)", async () => {
        const tx = await prepare("method-times-out", "forge=1");
        const result = await page.evaluate(async (tx) => {
          const forgeries = [];
          const watch = (event) => event.data?.protocol === "threeds-kit/1" && forgeries.push(event.origin);
          addEventListener("message", watch);
          const outcome = await tds.runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl, timeoutMs: 6000 });
          removeEventListener("message", watch);
          return { outcome, forgeries };
        }, tx);
        assert.deepEqual(result.forgeries, [context.demo.acsOrigin], "the ACS page did post its forgery");
        assert.equal(result.outcome.compInd, "N", JSON.stringify(result));
        assert.deepEqual(await leftovers(), clean);
      });

      test("a genuine notification for another transaction is ignored", async () => {
        const other = "d7c1ee99-9478-44a6-b1f2-391e29c6b340";
        const tx = await prepare("frictionless", `notifyId=${other}`);
        const result = await page.evaluate(async ([tx, other]) => {
          let delivered = false;
          const watch = (event) => (delivered ||= event.data?.result?.threeDSServerTransID === other && event.origin === location.origin);
          addEventListener("message", watch);
          const outcome = await tds.runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl, timeoutMs: 6000 });
          removeEventListener("message", watch);
          return { outcome, delivered };
        }, [tx, other]);
        assert.equal(result.delivered, true, "the other transaction's notification did arrive");
        assert.equal(result.outcome.compInd, "N", JSON.stringify(result));
      });

      test("a genuine notification for this transaction from another window is ignored", async () => {
        const tx = await prepare("method-times-out");
        const result = await page.evaluate(async (tx) => {
          const flow = tds.runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl, timeoutMs: 6000 });
          // Another frame on the merchant's own origin gets the real notification page for this transaction.
          const other = document.createElement("iframe");
          other.name = "impostor";
          document.body.append(other);
          const form = document.createElement("form");
          form.method = "POST";
          form.action = "/3ds/method-notification";
          form.target = "impostor";
          const input = document.createElement("input");
          input.name = "threeDSMethodData";
          input.value = btoa(JSON.stringify({ threeDSServerTransID: tx.threeDSServerTransID }));
          form.append(input);
          let delivered = false;
          const watch = (event) => (delivered ||= event.source === other.contentWindow && event.data?.result?.threeDSServerTransID === tx.threeDSServerTransID);
          addEventListener("message", watch);
          document.body.append(form);
          form.submit();
          const outcome = await flow;
          removeEventListener("message", watch);
          other.remove();
          form.remove();
          return { outcome, delivered };
        }, tx);
        assert.equal(result.delivered, true, "the impostor frame did post a genuine notification");
        assert.equal(result.outcome.compInd, "N");
      });

      test("other libraries' messages are ignored and still reach their own listeners", async () => {
        const tx = await prepare("method-times-out");
        const result = await page.evaluate(async (tx) => {
          const flow = tds.runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl, timeoutMs: 1500 });
          const seen = [];
          const theirs = (event) => seen.push(event.data);
          addEventListener("message", theirs);
          postMessage({ type: "3DS-complete", threeDSServerTransID: tx.threeDSServerTransID }, location.origin);
          postMessage(`{"protocol":"threeds-kit/1"}`, location.origin);
          const outcome = await flow;
          removeEventListener("message", theirs);
          return { outcome, seen: seen.length };
        }, tx);
        assert.equal(result.outcome.compInd, "N");
        assert.equal(result.seen, 2);
      });

      test("two flows at once do not cross", async () => {
        const fast = await prepare("frictionless");
        const slow = await prepare("method-times-out");
        const [a, b] = await page.evaluate(
          ([fast, slow]) =>
            Promise.all([
              tds.runMethod({ methodUrl: fast.methodUrl, threeDSServerTransID: fast.threeDSServerTransID, notificationUrl: fast.notificationUrl, timeoutMs: 9000 }),
              tds.runMethod({ methodUrl: slow.methodUrl, threeDSServerTransID: slow.threeDSServerTransID, notificationUrl: slow.notificationUrl, timeoutMs: 3000 }),
            ]),
          [fast, slow],
        );
        assert.equal(a.compInd, "Y");
        assert.equal(b.compInd, "N");
        assert.deepEqual(await leftovers(), clean);
      });

      test("abort rejects with code aborted and leaves nothing behind; an aborted signal touches nothing", async () => {
        const tx = await prepare("method-times-out");
        const result = await page.evaluate(async (tx) => {
          const controller = new AbortController();
          setTimeout(() => controller.abort(), 300);
          try {
            await tds.runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl, signal: controller.signal });
            return "resolved";
          } catch (e) {
            return `${e.name}:${e.code}`;
          }
        }, tx);
        assert.equal(result, "ThreeDsError:aborted");
        assert.deepEqual(await leftovers(), clean);
        const early = await page.evaluate(async (tx) => {
          const signal = AbortSignal.abort();
          const before = document.querySelectorAll("iframe").length;
          const code = await tds.runMethod({ ...tx, signal }).catch((e) => e.code);
          return [code, before, document.querySelectorAll("iframe").length];
        }, { methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl });
        assert.deepEqual(early, ["aborted", 0, 0]);
      });

      test("an abort fired while the flow is built (in its iframe's load event) ends it before the POST", async () => {
        const tx = await prepare("frictionless");
        const result = await page.evaluate(async (tx) => {
          const controller = new AbortController();
          const onLoad = (e) => e.target.name?.startsWith("threeds-kit") && controller.abort();
          document.addEventListener("load", onLoad, true);
          try {
            return await tds.runMethod({ ...tx, signal: controller.signal }).then((r) => r.compInd, (e) => e.code);
          } finally {
            document.removeEventListener("load", onLoad, true);
          }
        }, { methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl });
        assert.equal(result, "aborted");
        assert.deepEqual(await leftovers(), clean);
      });

      test("a flow in a shadow root ends at once when the page removes its iframe there", async () => {
        const tx = await prepare("method-times-out");
        const result = await page.evaluate(async (tx) => {
          const out = [];
          for (const mode of ["open", "closed"]) {
            const host = document.body.appendChild(document.createElement("div"));
            const shadow = host.attachShadow({ mode });
            const inner = shadow.appendChild(document.createElement("div")).attachShadow({ mode });
            const container = inner.appendChild(document.createElement("div"));
            setTimeout(() => container.querySelector("iframe").remove(), 300);
            const started = performance.now();
            out.push(await tds.runMethod({ ...tx, container, timeoutMs: 5000 }).then((r) => r.compInd, (e) => e.code));
            out.push(performance.now() - started < 3000, container.children.length);
            host.remove();
          }
          return out;
        }, { methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl });
        assert.deepEqual(result, ["aborted", true, 0, "aborted", true, 0]);
        assert.deepEqual(await leftovers(), clean);
      });

      test("a real signal whose own aborted or addEventListener the page replaced neither lies to a flow nor stalls it", async () => {
        const tx = await prepare("method-times-out");
        const result = await page.evaluate(async (tx) => {
          const throwing = new AbortController().signal;
          Object.defineProperty(throwing, "aborted", { get() { throw new Error("boom"); } });
          const lying = AbortSignal.abort();
          Object.defineProperty(lying, "aborted", { value: false });
          const deaf = new AbortController();
          deaf.signal.addEventListener = () => {};
          const out = [];
          out.push(await tds.runMethod({ ...tx, signal: throwing, timeoutMs: 300 }).then((r) => r.compInd, (e) => e.code));
          out.push(await tds.runMethod({ ...tx, signal: lying }).then((r) => r.compInd, (e) => e.code));
          setTimeout(() => deaf.abort(), 200);
          const started = performance.now();
          out.push(await tds.runMethod({ ...tx, signal: deaf.signal, timeoutMs: 5000 }).then((r) => r.compInd, (e) => e.code));
          out.push(performance.now() - started < 3000);
          return out;
        }, { methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl });
        assert.deepEqual(result, ["N", "aborted", "aborted", true]);
        assert.deepEqual(await leftovers(), clean);
      });

      test("a signal or container that only looks like one is an invalid_field error, and the flows after it settle", async () => {
        const tx = await prepare("frictionless");
        const result = await page.evaluate(async (tx) => {
          const fakes = [
            ["signal", new Proxy(new AbortController().signal, {})],
            ["signal", Object.create(AbortSignal.prototype)],
            ["signal", Object.create(AbortSignal.prototype, { aborted: { value: false } })],
            ["container", new Proxy(document.body, {})],
            ["container", Object.create(HTMLDivElement.prototype, { isConnected: { value: true } })],
          ];
          const out = [];
          for (const [key, fake] of fakes) {
            const options = { methodUrl: null, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl, [key]: fake };
            out.push(await tds.runMethod(options).then(() => "resolved", (e) => `${e.code}: ${e.message}`));
          }
          // A bad call and a genuine flow in the same tick: the genuine flow settles.
          const bad = tds.runMethod({ ...tx, signal: fakes[0][1] }).catch((e) => e.code);
          const good = tds.runMethod(tx).then((r) => r.compInd, (e) => e.code);
          out.push(await bad, await good);
          return out;
        }, { methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl });
        const signal = "invalid_field: options.signal must be an AbortSignal";
        const container = "invalid_field: options.container must be an Element";
        assert.deepEqual(result, [signal, signal, signal, container, container, "invalid_field", "Y"]);
        assert.deepEqual(await leftovers(), clean);
      });

      test("bad options are typed errors before anything is touched", async () => {
        const cases = [
          [{ methodUrl: "javascript:alert(1)", threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", notificationUrl: `${context.demo.origin}/n` }, "invalid_field", "methodUrl"],
          [{ methodUrl: "http://acs.example/m", threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", notificationUrl: `${context.demo.origin}/n` }, "invalid_field", "methodUrl"],
          [{ methodUrl: `${context.demo.acsOrigin}/acs/method`, threeDSServerTransID: "nope", notificationUrl: `${context.demo.origin}/n` }, "invalid_field", "threeDSServerTransID"],
          [{ methodUrl: `${context.demo.acsOrigin}/acs/method`, threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e" }, "missing_field", "notificationUrl"],
          [{ methodUrl: `${context.demo.acsOrigin}/acs/method`, threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", notificationUrl: `${context.demo.origin}/n`, signal: "stop" }, "invalid_field", "signal"],
          [{ methodUrl: `${context.demo.acsOrigin}/acs/method`, threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", notificationUrl: `${context.demo.origin}/n`, timeoutMs: "10s" }, "invalid_field", "timeoutMs"],
        ];
        for (const [options, code, field] of cases) {
          const result = await runMethod(options);
          assert.equal(result.ok, false, JSON.stringify(options));
          assert.equal(result.name, "ThreeDsError");
          assert.equal(result.code, code, result.message);
          assert.match(result.message, new RegExp(field));
        }
        assert.deepEqual(await leftovers(), clean);
      });

      test("options are the object's own: a polluted Object.prototype fills no omitted option of the browser entry", async () => {
        const tx = await prepare("frictionless");
        const outcome = await page.evaluate(async ([tx, acs]) => {
          // What a vulnerable dependency merging attacker JSON would leave on Object.prototype: a real ACS method
          // URL (the device data would be posted there), a notification URL of the attacker's, a full-page redirect.
          const polluted = { methodUrl: tx.methodUrl, notificationUrl: "https://attacker.example/n", mode: "redirect", targetOrigin: "*", timeoutMs: 1 };
          const outcome = async (run) => Promise.resolve().then(run).then((value) => ({ value }), (e) => ({ code: e.code, message: e.message }));
          return {
            method: await callPolluted(polluted, "runMethod", { threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl }),
            iframes: document.querySelectorAll("iframe").length,
            challenge: await callPolluted(polluted, "runChallenge", { acsUrl: `${acs}/acs/challenge`, threeDSServerTransID: tx.threeDSServerTransID, acsTransID: "d7c1ee99-9478-44a6-b1f2-391e29c6b340", messageVersion: "2.2.0", challengeWindowSize: "02" }),
            notify: await callPolluted(polluted, "notifyParent", { type: "empty" }, {}),
            // Options of inherited defaults are refused rather than read in part.
            inherited: await outcome(() => tds.runMethod(Object.create({ notificationUrl: tx.notificationUrl }, { threeDSServerTransID: { value: tx.threeDSServerTransID, enumerable: true } }))),
          };
        }, [tx, context.demo.acsOrigin]);
        assert.deepEqual(outcome.method, { value: { compInd: "U", elapsedMs: 0 } });
        assert.equal(outcome.iframes, 0);
        assert.equal(outcome.challenge.code, "missing_field", outcome.challenge.message);
        assert.match(outcome.challenge.message, /notificationUrl/);
        assert.equal(outcome.notify.code, "missing_field", outcome.notify.message);
        assert.match(outcome.notify.message, /targetOrigin/);
        assert.equal(outcome.inherited.code, "invalid_field", outcome.inherited.message);
        assert.match(outcome.inherited.message, /options/);
        assert.deepEqual(await leftovers(), clean);
      });

      test("the method iframe grants neither payment nor WebAuthn (no allow attribute), seen from inside the ACS page", async () => {
        const tx = await prepare("method-times-out");
        await page.evaluate((tx) => {
          window.flow = tds.runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl, timeoutMs: 3000 });
        }, tx);
        try {
          const acsFrame = await frameAt(`${context.demo.acsOrigin}/acs/method`);
          await assertPolicyInside(acsFrame, { payment: false, "publickey-credentials-get": false });
          const allow = await page.evaluate(() => document.querySelector("iframe[name^=threeds-kit-method]").getAttribute("allow"));
          assert.equal(allow, null);
        } finally {
          assert.equal((await page.evaluate(() => window.flow)).compInd, "N");
        }
        assert.deepEqual(await leftovers(), clean);
      });

      test("a page that refuses the form submission gets a typed error and nothing left behind", async () => {
        const tx = await prepare("frictionless");
        const result = await withRefusedSubmit(() => runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl }));
        assert.equal(result.code, "unsupported_environment", JSON.stringify(result));
        assert.deepEqual(await leftovers(), clean);
      });

      test("collectBrowserInfo gives values valid for the AReq schema", async () => {
        const info = await page.evaluate(() => tds.collectBrowserInfo());
        assert.ok(["1", "4", "8", "15", "16", "24", "32", "48"].includes(info.browserColorDepth), info.browserColorDepth);
        assert.match(info.browserScreenHeight, /^[0-9]{1,6}$/);
        assert.match(info.browserScreenWidth, /^[0-9]{1,6}$/);
        assert.match(info.browserTZ, /^[+-]?[0-9]{1,4}$/);
        assert.equal(Number(info.browserTZ), await page.evaluate(() => new Date().getTimezoneOffset()));
        assert.ok(info.browserLanguage.length >= 1 && info.browserLanguage.length <= 8, info.browserLanguage);
        assert.equal(info.browserJavascriptEnabled, true);
        assert.equal(typeof info.browserJavaEnabled, "boolean");
        assert.ok(info.browserUserAgent.length > 0 && info.browserUserAgent.length <= 2048);
      });
    });

    /** Starts a challenge in the page (not awaited there); returns the ARes. */
    async function startChallenge({ scenario = "challenge", size = "02", container = "box", extra = {} } = {}) {
      const tx = await prepare(scenario);
      const ares = await authenticate(tx.threeDSServerTransID);
      await page.evaluate(
        ([ares, size, container, extra]) => {
          window.controller = new AbortController();
          window.challenge = tds
            .runChallenge({
              acsUrl: ares.acsURL, threeDSServerTransID: ares.threeDSServerTransID, acsTransID: ares.acsTransID, messageVersion: ares.messageVersion,
              challengeWindowSize: size, threeDSSessionData: ares.threeDSSessionData, notificationUrl: ares.notificationUrl,
              container: document.getElementById(container), signal: controller.signal, ...extra,
            })
            .then((value) => ({ ok: true, value }), (e) => ({ ok: false, name: e.name, code: e.code, message: e.message }));
        },
        [ares, size, container, extra],
      );
      return ares;
    }

    async function answerChallenge(otp) {
      const frame = page.frame("iframe[name^=threeds-kit-challenge]");
      await frame.fill("#otp", otp);
      await frame.click("#submit");
      return page.evaluate(() => window.challenge);
    }

    describe("challenge", () => {
      before(openHarness);
      after(() => page.close());

      test("the iframe has exactly the EMV size for 01-05, and the ACS is told that size", async () => {
        const expected = { "01": [250, 400], "02": [390, 400], "03": [500, 600], "04": [600, 400], "05": [800, 700] };
        for (const [size, [width, height]] of Object.entries(expected)) {
          await startChallenge({ size });
          await page.frame("iframe[name^=threeds-kit-challenge]").waitFor(`text=Window ${size}`, { timeout: 10000 });
          const box = await page.evaluate(() => {
            const r = document.querySelector("iframe[name^=threeds-kit-challenge]").getBoundingClientRect();
            return [r.width, r.height];
          });
          assert.deepEqual(box, [width, height], `size ${size}`);
          const result = await answerChallenge("123456");
          assert.equal(result.value?.transStatus, "Y", JSON.stringify(result));
          assert.deepEqual(await leftovers(), clean);
        }
      });

      test("123456 passes, 111111 fails, and the result is the decoded CRes", async () => {
        await startChallenge();
        const passed = await answerChallenge("123456");
        assert.equal(passed.value.messageType, "CRes");
        assert.equal(passed.value.transStatus, "Y");
        assert.equal(passed.value.challengeCompletionInd, "Y");
        await startChallenge();
        const failed = await answerChallenge("111111");
        assert.equal(failed.value.transStatus, "N");
        assert.deepEqual(await leftovers(), clean);
      });

      test("the ACS page in the challenge iframe may use Secure Payment Confirmation and WebAuthn (allow names its origin)", async () => {
        const acs = context.demo.acsOrigin;
        await startChallenge();
        try {
          await page.frame("iframe[name^=threeds-kit-challenge]").waitFor("#otp", { timeout: 10000 });
          const acsFrame = await frameAt(`${acs}/acs/challenge`);
          await assertPolicyInside(acsFrame, { payment: true, "publickey-credentials-get": true, camera: false });
          const allow = await page.evaluate(() => document.querySelector("iframe[name^=threeds-kit-challenge]").getAttribute("allow"));
          assert.equal(allow, `payment ${acs}; publickey-credentials-get ${acs}`);
          assert.equal((await answerChallenge("123456")).value?.transStatus, "Y");
        } finally {
          await page.evaluate(() => controller.abort()); // settled already when it passed; otherwise leave nothing
        }
        assert.deepEqual(await leftovers(), clean);
      });

      test("a page that refuses the form submission gets a typed error and nothing left behind, iframe or redirect", async () => {
        for (const mode of ["iframe", "redirect"]) {
          const tx = await prepare("challenge");
          const ares = await authenticate(tx.threeDSServerTransID);
          const result = await withRefusedSubmit(() =>
            page.evaluate(
              ([ares, mode]) =>
                tds
                  .runChallenge({
                    acsUrl: ares.acsURL, threeDSServerTransID: ares.threeDSServerTransID, acsTransID: ares.acsTransID, messageVersion: ares.messageVersion,
                    challengeWindowSize: "02", notificationUrl: ares.notificationUrl, container: document.getElementById("box"), mode,
                  })
                  .then(() => "resolved", (e) => `${e.code}: ${e.message}`),
              [ares, mode],
            ),
          );
          assert.match(result, /^unsupported_environment:/, mode);
          assert.deepEqual(await leftovers(), clean, mode);
          assert.equal(await page.url(), `${context.demo.origin}/harness.html`);
        }
      });

      test("an Erro from the ACS is the result, typed", async () => {
        await startChallenge({ scenario: "erro" });
        const result = await page.evaluate(() => window.challenge);
        assert.equal(result.value.messageType, "Erro");
        assert.equal(result.value.errorCode, "402");
        assert.deepEqual(await leftovers(), clean);
      });

      test("an unreadable cres ends the challenge at once with a typed error, not at the time limit", async () => {
        const started = Date.now();
        await startChallenge({ scenario: "garbled" });
        const result = await page.evaluate(() => window.challenge);
        assert.equal(result.ok, false);
        assert.equal(result.code, "invalid_base64", result.message);
        assert.match(result.message, /cres/);
        assert.ok(Date.now() - started < 15000);
        assert.deepEqual(await leftovers(), clean);
      });

      test("too narrow a container: fitToContainer picks the widest size that fits, before the CReq is encoded", async () => {
        await startChallenge({ size: "04", container: "narrow", extra: { fitToContainer: true } });
        await page.frame("iframe[name^=threeds-kit-challenge]").waitFor("text=Window 02", { timeout: 10000 });
        const width = await page.evaluate(() => document.querySelector("iframe[name^=threeds-kit-challenge]").getBoundingClientRect().width);
        assert.equal(width, 390);
        await answerChallenge("123456");
      });

      test("timeout rejects with code timeout; abort with code aborted; both leave nothing behind", async () => {
        await startChallenge({ extra: { timeoutMs: 1500 } });
        const timedOut = await page.evaluate(() => window.challenge);
        assert.equal(timedOut.code, "timeout", JSON.stringify(timedOut));
        assert.deepEqual(await leftovers(), clean);
        await startChallenge();
        await page.frame("iframe[name^=threeds-kit-challenge]").waitFor("#otp");
        await page.evaluate(() => controller.abort());
        const aborted = await page.evaluate(() => window.challenge);
        assert.equal(aborted.code, "aborted");
        assert.deepEqual(await leftovers(), clean);
      });

      test("the page removing or moving the challenge iframe (a closed modal, a re-render) ends the flow at once", async () => {
        for (const how of ["remove", "move"]) {
          await page.evaluate(() => document.getElementById("box").append(Object.assign(document.createElement("div"), { id: "modal" })));
          await startChallenge({ container: "modal" });
          await page.frame("iframe[name^=threeds-kit-challenge]").waitFor("#otp");
          const started = Date.now();
          await page.evaluate((how) => (how === "remove" ? document.getElementById("modal").remove() : document.body.append(document.getElementById("modal"))), how);
          const ended = await page.evaluate(() => window.challenge);
          assert.equal(ended.code, "aborted", `${how}: ${JSON.stringify(ended)}`);
          assert.match(ended.message, /^runChallenge was aborted: the page removed or moved its iframe/);
          assert.ok(Date.now() - started < 5000, `${how}: ${Date.now() - started} ms`);
          await page.evaluate(() => document.getElementById("modal")?.remove());
          assert.deepEqual(await leftovers(), clean);
        }
      });

      test("bad options are typed errors before anything is touched", async () => {
        const results = await page.evaluate(async (acs) => {
          const base = { acsUrl: `${acs}/acs/challenge`, threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e", acsTransID: "d7c1ee99-9478-44a6-b1f2-391e29c6b340", messageVersion: "2.2.0", challengeWindowSize: "02", notificationUrl: `${location.origin}/3ds/challenge-notification` };
          const cases = [{ ...base, challengeWindowSize: "06" }, { ...base, notificationUrl: undefined }, { ...base, mode: "popup" }, { ...base, threeDSSessionData: "<script>" }, { ...base, container: "#box" }, { ...base, acsUrl: "ftp://acs" }];
          const out = [];
          for (const options of cases) out.push(await tds.runChallenge(options).then(() => "resolved", (e) => `${e.code}:${e.message}`));
          return out;
        }, context.demo.acsOrigin);
        const expected = [/invalid_field:.*challengeWindowSize/, /missing_field:.*notificationUrl/, /invalid_field:.*mode/, /invalid_field:.*threeDSSessionData/, /invalid_field:.*container/, /invalid_field:.*acsUrl/];
        results.forEach((r, i) => assert.match(r, expected[i]));
        assert.deepEqual(await leftovers(), clean);
      });

      test("notifyParent posts a result from a framed page to exactly its parent's origin", async () => {
        const received = await page.evaluate(async () => {
          const frame = document.createElement("iframe");
          frame.src = "/harness.html";
          document.body.append(frame);
          await new Promise((resolve) => frame.addEventListener("load", resolve, { once: true }));
          await new Promise((resolve) => {
            const poll = () => (frame.contentWindow.tds ? resolve() : setTimeout(poll, 20));
            poll();
          });
          const got = new Promise((resolve) => {
            const listener = (e) => {
              if (e.source !== frame.contentWindow) return;
              removeEventListener("message", listener);
              resolve({ origin: e.origin, data: e.data });
            };
            addEventListener("message", listener);
          });
          const id = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";
          const posted = frame.contentWindow.tds.notifyParent({ type: "method", threeDSServerTransID: id }, { targetOrigin: location.origin });
          const wrongOrigin = frame.contentWindow.tds.notifyParent({ type: "method", threeDSServerTransID: id }, { targetOrigin: "https://elsewhere.example" });
          let star;
          try {
            frame.contentWindow.tds.notifyParent({ type: "empty" }, { targetOrigin: "*" });
          } catch (e) {
            star = e.code;
          }
          const topLevel = tds.notifyParent({ type: "empty" }, { targetOrigin: location.origin });
          const data = await got;
          frame.remove();
          return { posted, wrongOrigin, star, topLevel, ...data };
        });
        assert.equal(received.posted, true);
        assert.equal(received.wrongOrigin, true, "posted, but the browser delivers it to no one");
        assert.equal(received.star, "invalid_field");
        assert.equal(received.topLevel, false, "a top-level page has no parent to tell");
        assert.equal(received.origin, context.demo.origin);
        assert.deepEqual(received.data, { protocol: "threeds-kit/1", result: { type: "method", threeDSServerTransID: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e" } });
      });

      test("hostile field content in a result cannot break out of the notification page", async () => {
        const hostile = `</script><script>parent.pwned=1</script>"'\u2028<img src=x onerror=parent.pwned=2>`;
        const received = await page.evaluate(async (hostile) => {
          const erro = { messageType: "Erro", errorCode: "101", errorComponent: "A", errorDescription: hostile, errorDetail: hostile };
          const frame = document.createElement("iframe");
          frame.name = "hostile";
          document.body.append(frame);
          const got = new Promise((resolve) => addEventListener("message", (e) => e.source === frame.contentWindow && resolve(e.data), { once: true }));
          const form = document.createElement("form");
          Object.assign(form, { method: "POST", action: "/3ds/challenge-notification", target: "hostile" });
          const input = document.createElement("input");
          input.name = "cres";
          input.value = btoa(unescape(encodeURIComponent(JSON.stringify(erro))));
          form.append(input);
          document.body.append(form);
          form.submit();
          const data = await got;
          frame.remove();
          form.remove();
          return { data, pwned: window.pwned ?? null };
        }, hostile);
        assert.equal(received.pwned, null);
        assert.equal(received.data.protocol, "threeds-kit/1");
        assert.equal(received.data.result.message.errorDescription, hostile);
      });
    });

    describe("frames another origin cannot steal", () => {
      before(openHarness); // a fresh page: whatever the package counts, it counts from the start
      after(() => page.close());

      const frameNames = ["method", "challenge", "provider"].flatMap((kind) => [`threeds-kit-${kind}`, ...Array.from({ length: 10 }, (_, n) => `threeds-kit-${kind}-${n}`)]);

      /** Frames of the ACS origin that give their own windows the names the package's frames had, and guesses. */
      async function squat() {
        await page.evaluate(
          ([acs, names]) =>
            new Promise((resolve) => {
              const named = new Set();
              const seen = (e) => {
                if (e.origin !== acs || !names.includes(e.data?.squatter)) return;
                named.add(e.data.squatter);
                if (named.size < names.length) return;
                removeEventListener("message", seen);
                resolve();
              };
              addEventListener("message", seen);
              for (const name of names) {
                const frame = document.createElement("iframe");
                frame.className = "squatter";
                frame.src = `${acs}/probe/squatter?name=${encodeURIComponent(name)}`;
                document.body.append(frame);
              }
            }),
          [context.demo.acsOrigin, frameNames],
        );
      }

      /** How many squatters are still on their own page (one that received a POST has navigated away). */
      const squattersAtHome = async () => (await page.frames()).filter((f) => f.url().startsWith(`${context.demo.acsOrigin}/probe/squatter`)).length;
      const ours = () => page.evaluate(() => ({ iframes: document.querySelectorAll("iframe:not(.squatter)").length, forms: document.querySelectorAll("form").length }));

      test("named squatters from another origin get neither the threeDSMethodData POST nor the creq POST", async () => {
        await squat();
        try {
          await stealAttempts();
        } finally {
          await page.evaluate(() => {
            window.controller?.abort(); // a challenge whose creq went elsewhere would wait for its time limit
            document.querySelectorAll(".squatter").forEach((f) => f.remove());
          });
        }
      });

      async function stealAttempts() {
        assert.equal(await squattersAtHome(), frameNames.length);

        const tx = await prepare("frictionless");
        const method = await runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl, timeoutMs: 5000 });
        assert.equal(method.value?.compInd, "Y", JSON.stringify(method));
        assert.equal(await squattersAtHome(), frameNames.length, "a squatter received the method POST");

        await startChallenge();
        await page.frame("iframe[name^=threeds-kit-challenge]").waitFor("#otp", { timeout: 5000 });
        assert.equal((await answerChallenge("123456")).value?.transStatus, "Y");
        assert.equal(await squattersAtHome(), frameNames.length, "a squatter received the creq POST");
        assert.deepEqual(await ours(), { iframes: 0, forms: 0 });
      }

      test("frame and form-target names carry 128 random bits", async () => {
        const tx = await prepare("method-times-out");
        const seen = await page.evaluate(async (tx) => {
          const names = [];
          for (let i = 0; i < 2; i++) {
            // The form is gone as soon as it is submitted; an observer still sees it come and go.
            const added = [];
            const observer = new MutationObserver((records) => records.forEach((r) => added.push(...r.addedNodes)));
            observer.observe(document.body, { childList: true, subtree: true });
            const controller = new AbortController();
            const flow = tds.runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl, signal: controller.signal }).catch((e) => e.code);
            for (let waited = 0; waited < 5000 && !added.some((node) => node.localName === "form"); waited += 10) await new Promise((r) => setTimeout(r, 10));
            observer.disconnect();
            names.push([added.find((n) => n.localName === "iframe")?.name, added.find((n) => n.localName === "form")?.getAttribute("target")]);
            controller.abort();
            await flow;
          }
          return names;
        }, tx);
        for (const [frame, target] of seen) {
          assert.match(frame, /^threeds-kit-method-[0-9a-f]{32}$/);
          assert.equal(target, frame);
        }
        assert.notEqual(seen[0][0], seen[1][0]);
      });

      test("without crypto.getRandomValues the flows refuse with unsupported_environment and touch nothing", async () => {
        const tx = await prepare("frictionless");
        const challenge = await prepare("challenge");
        const ares = await authenticate(challenge.threeDSServerTransID);
        const results = await page.evaluate(
          async ([tx, ares, acs]) => {
            const original = Object.getOwnPropertyDescriptor(Crypto.prototype, "getRandomValues");
            Object.defineProperty(Crypto.prototype, "getRandomValues", { value: undefined, configurable: true, writable: true });
            const outcome = (promise) => promise.then(() => "resolved", (e) => `${e.name} ${e.code}: ${e.message}`);
            try {
              return [
                await outcome(tds.runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl })),
                await outcome(tds.runChallenge({
                  acsUrl: ares.acsURL, threeDSServerTransID: ares.threeDSServerTransID, acsTransID: ares.acsTransID, messageVersion: ares.messageVersion,
                  challengeWindowSize: "02", notificationUrl: ares.notificationUrl, container: document.getElementById("box"),
                })),
                await outcome(tds.perform({ type: "redirect", url: `${acs}/probe/echo`, method: "POST", fields: { a: "1" }, iframeAllowed: true }, { display: "iframe", container: document.getElementById("box") })),
              ];
            } finally {
              Object.defineProperty(Crypto.prototype, "getRandomValues", original);
            }
          },
          [tx, ares, context.demo.acsOrigin],
        );
        for (const result of results) assert.match(result, /^ThreeDsError unsupported_environment: .*getRandomValues/);
        assert.deepEqual(await leftovers(), clean);
      });
    });

    describe("redirect mode and the demo checkout", () => {
      test("a full-page challenge returns to the checkout with the result and the echoed session data", async () => {
        page = await context.browser.newPage();
        await page.goto(`${context.demo.origin}/checkout.html`);
        await page.waitForSelector("body[data-ready]");
        await page.selectOption("#scenario", "redirect");
        await page.click("#pay");
        await page.waitForURL(`${context.demo.acsOrigin}/acs/challenge`, { timeout: 15000 });
        await page.fill("#otp", "123456");
        await page.click("#submit");
        await page.waitForURL(/checkout\.html\?returned=/, { timeout: 15000 });
        await page.waitForFunction(() => document.getElementById("outcome").textContent.length > 0);
        assert.match(await page.textContent("#outcome"), /Authenticated after the challenge \(redirect\)/);
        assert.match(await page.textContent("#timeline"), /"mode":"redirect"/);
        await page.close();
      });

      for (const [scenario, expected] of [
        ["frictionless", /Authenticated without a challenge/],
        ["no-method-url", /Authenticated without a challenge/],
        ["not-authenticated", /Not authenticated/],
        ["erro", /Erro 402/],
        ["abort", /Aborted; nothing left behind/],
      ]) {
        test(`demo checkout: ${scenario}`, async () => {
          page = await context.browser.newPage();
          await page.goto(`${context.demo.origin}/checkout.html`);
          await page.waitForSelector("body[data-ready]");
          await page.selectOption("#scenario", scenario);
          await page.click("#pay");
          await page.waitForFunction(() => document.getElementById("outcome").textContent.length > 0, null, { timeout: 20000 });
          assert.match(await page.textContent("#outcome"), expected);
          assert.equal(await page.count("iframe"), 0);
          await page.close();
        });
      }
    });
  });
}
