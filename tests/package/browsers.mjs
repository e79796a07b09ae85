// The three browser engines, driven over W3C WebDriver: Chromium (chromedriver), Firefox ESR (geckodriver) and
// WebKitGTK (WebKitWebDriver, under its own Xvfb). One small client, so that every end-to-end test is written once
// and runs in each engine the same way. Pages are windows of one session; every call first selects its page's
// window and top-level document, so tests may hold several pages at once.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";

/** Chromium's flags for a root user on a headless machine (also support.mjs's playwright launcher). */
export const chromiumArgs = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

/** The engines, as `ENGINES` names them (default all three), each with its driver and capabilities. */
const engineSpecs = {
  chromium: {
    driver: () => [process.env.CHROMEDRIVER || "chromedriver"],
    capabilities: () => ({
      browserName: "chrome",
      "goog:chromeOptions": {
        binary: process.env.CHROMIUM || "/usr/bin/chromium",
        args: [...chromiumArgs, "--window-size=1280,1000"],
      },
    }),
  },
  firefox: {
    driver: () => [process.env.GECKODRIVER || "geckodriver"],
    capabilities: () => ({
      browserName: "firefox",
      "moz:firefoxOptions": {
        binary: process.env.FIREFOX || "/usr/bin/firefox-esr",
        args: ["-headless", "--width=1280", "--height=1000"],
        // Firefox enforces the permissions policy either way; the pref only exposes document.featurePolicy to read it.
        prefs: { "dom.security.featurePolicy.webidl.enabled": true },
      },
    }),
  },
  webkit: {
    // WebKitGTK's MiniBrowser has no headless mode: the driver and its browser get an X server of their own.
    driver: () => ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", process.env.WEBKITWEBDRIVER || "WebKitWebDriver"],
    capabilities: () => ({}),
  },
};

export const allEngines = Object.keys(engineSpecs);

/** The engines this run covers: `ENGINES="firefox webkit"` narrows it; unknown names are an error, not a skip. */
export function testEngines() {
  const wanted = (process.env.ENGINES ?? "").split(/[\s,]+/).filter(Boolean);
  for (const name of wanted) if (!engineSpecs[name]) throw new Error(`ENGINES names an unknown engine: ${name}`);
  return wanted.length ? wanted : allEngines;
}

/** What each engine reported itself as, for the browser-support table (scripts/browser-table.mjs). */
const versionsFile = new URL("./scratch/engine-versions.json", import.meta.url);
export const engineVersions = () => (existsSync(versionsFile) ? JSON.parse(readFileSync(versionsFile, "utf8")) : {});
function recordVersion(engine, version) {
  writeFileSync(versionsFile, `${JSON.stringify({ ...engineVersions(), [engine]: version }, null, 1)}\n`);
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf"; // the W3C web element identifier

/** One WebDriver session on a driver process of its own. */
class Session {
  constructor(engine, child, base, id, capabilities) {
    Object.assign(this, { engine, child, base, id, capabilities });
  }

  static async start(engine) {
    const spec = engineSpecs[engine];
    const port = await freePort();
    const [command, ...args] = spec.driver();
    const child = spawn(command, [...args, `--port=${port}`], { stdio: ["ignore", "ignore", "pipe"], detached: true });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-2000)));
    // "localhost": WebKitWebDriver listens there (IPv4 and IPv6), as the other two do.
    const base = `http://localhost:${port}`;
    const deadline = Date.now() + 20000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}: ${stderr}`);
      try {
        // Read each body whole: a driver may serve one connection at a time.
        await (await fetch(`${base}/status`)).text();
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`${command} did not listen within 20 s: ${stderr}`);
        await sleep(100);
      }
    }
    const session = new Session(engine, child, base, null, null);
    const created = await session.call("POST", "/session", { capabilities: { alwaysMatch: spec.capabilities() } }, false);
    session.id = created.sessionId;
    session.capabilities = created.capabilities;
    recordVersion(engine, `${created.capabilities.browserName} ${created.capabilities.browserVersion}`);
    await session.call("POST", "/timeouts", { script: 60000, pageLoad: 30000, implicit: 0 });
    return session;
  }

  async call(method, path, body, inSession = true) {
    const url = `${this.base}${inSession ? `/session/${this.id}` : ""}${path}`;
    const response = await fetch(url, { method, headers: { "content-type": "application/json; charset=utf-8" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    if (!response.ok) {
      const { error, message } = json.value ?? {};
      const failure = new Error(`${this.engine} WebDriver ${method} ${path}: ${error}: ${message}`);
      failure.webdriverError = error;
      throw failure;
    }
    return json.value;
  }

  async end() {
    await this.call("DELETE", "").catch(() => {});
    // The driver's process group: xvfb-run's Xvfb and the browser go with it.
    try {
      process.kill(-this.child.pid, "SIGTERM");
    } catch {}
  }
}

/** Runs `fn(arg)` (its source) in the current document; resolves to its value, or throws what it threw. */
async function runScript(session, fn, arg) {
  const script = `const done = arguments[arguments.length - 1];
Promise.resolve().then(() => (${fn})(arguments[0])).then(
  (value) => done(value === undefined ? { undefined: true } : { value }),
  (e) => done({ thrown: String(e && e.stack || e) }));`;
  const result = await session.call("POST", "/execute/async", { script, args: [arg ?? null] });
  // Firefox answers null when the document navigated away before the script could answer.
  if (result === null) throw new Error(`in ${session.engine}: the document navigated during the script`);
  if (result.thrown !== undefined) throw new Error(`in ${session.engine}: ${result.thrown}`);
  return result.undefined ? undefined : result.value;
}

/** The first element matching `selector` in the current document, or null when there is none yet. */
function findElement(session, selector) {
  return session.call("POST", "/element", { using: "css selector", value: selector }).catch((e) => {
    if (e.webdriverError === "no such element") return null;
    throw e;
  });
}

/** Types `text` into an element, key by key, after focusing it with a click as a person would (and as
 * WebKitWebDriver needs: it types only into the focused element). */
async function typeInto(session, id, text) {
  await session.call("POST", `/element/${id}/click`, {});
  await session.call("POST", `/element/${id}/clear`, {});
  await session.call("POST", `/element/${id}/value`, { text });
}

/** Polls `probe` until it returns something truthy, or throws `what` after `timeout` ms. */
async function until(probe, timeout, what) {
  const deadline = Date.now() + timeout;
  for (;;) {
    let value;
    try {
      value = await probe();
    } catch (e) {
      // A document that is navigating has no script context for a moment: that is waiting, not failing.
      // (chromedriver answers a script cut short by a navigation with "script timeout", at once; geckodriver once
      // answered a poll made while the Acquired.com return navigated with an error from inside Marionette's own
      // evalInSandbox, NS_ERROR_OUT_OF_MEMORY: retried like the others, the poll still fails at its time limit.)
      if (!/no such (frame|window|element)|stale element|navigat|unload|context was destroyed|detached|script timeout|evalInSandbox/i.test(String(e?.message))) throw e;
    }
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(50);
  }
}

export class Browser {
  constructor(session) {
    this.session = session;
    this.current = null; // the window handle the session is on
    this.home = null; // the session's first window, never closed, so the session outlives every page
  }

  static async launch(engine) {
    const session = await Session.start(engine);
    const browser = new Browser(session);
    browser.home = await session.call("GET", "/window");
    browser.current = browser.home;
    return browser;
  }

  get engine() {
    return this.session.engine;
  }

  /** The engine's name and version as the session reports them. */
  get version() {
    return `${this.session.capabilities.browserName} ${this.session.capabilities.browserVersion}`;
  }

  async newPage() {
    const { handle } = await this.session.call("POST", "/window/new", { type: "window" });
    const page = new Page(this, handle);
    await page.select();
    await this.session.call("POST", "/window/rect", { width: 1280, height: 1000 }).catch(() => {});
    return page;
  }

  async close() {
    await this.session.end();
  }
}

export class Page {
  constructor(browser, handle) {
    this.browser = browser;
    this.session = browser.session;
    this.handle = handle;
  }

  /** Makes this page's top-level document the one the session talks to. */
  async select() {
    if (this.browser.current !== this.handle) {
      await this.session.call("POST", "/window", { handle: this.handle });
      this.browser.current = this.handle;
    }
    await this.session.call("POST", "/frame", { id: null });
  }

  async goto(url) {
    await this.select();
    await this.session.call("POST", "/url", { url });
  }

  async url() {
    await this.select();
    return this.session.call("GET", "/url");
  }

  async evaluate(fn, arg) {
    await this.select();
    return runScript(this.session, fn, arg);
  }

  waitForFunction(fn, arg, { timeout = 10000 } = {}) {
    return until(() => this.evaluate(fn, arg), timeout, `${fn} in ${this.browser.engine}`);
  }

  waitForSelector(selector, { timeout = 10000 } = {}) {
    return until(() => this.evaluate((s) => document.querySelector(s) !== null, selector), timeout, selector);
  }

  async waitForURL(expected, { timeout = 10000 } = {}) {
    const matches = (url) => (expected instanceof RegExp ? expected.test(url) : url === expected);
    await until(async () => matches(await this.url()), timeout, `the page at ${expected}`);
  }

  waitForTimeout(ms) {
    return sleep(ms);
  }

  textContent(selector) {
    return this.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
  }

  /** Finds `selector` in the top-level document, waiting for it. */
  async element(selector, timeout = 10000) {
    await this.select();
    return until(() => findElement(this.session, selector), timeout, selector);
  }

  /** A real click, through the driver: the page sees a user activation. */
  async click(selector) {
    const element = await this.element(selector);
    await this.session.call("POST", `/element/${element[ELEMENT]}/click`, {});
  }

  /** Typed, key by key, as a person would. */
  async fill(selector, text) {
    const element = await this.element(selector);
    await typeInto(this.session, element[ELEMENT], text);
  }

  /** Chooses an option of a <select> the way its change listeners see a person choose it. */
  selectOption(selector, value) {
    return this.evaluate(([selector, value]) => {
      const select = document.querySelector(selector);
      select.value = value;
      select.dispatchEvent(new Event("input", { bubbles: true }));
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }, [selector, value]);
  }

  /** The texts of every element `selector` matches. */
  allTextContents(selector) {
    return this.evaluate((s) => [...document.querySelectorAll(s)].map((e) => e.textContent), selector);
  }

  count(selector) {
    return this.evaluate((s) => document.querySelectorAll(s).length, selector);
  }

  /** The iframes of the top-level document, each with its document's URL (any origin) at the time of the call. */
  async frames() {
    await this.select();
    const elements = await this.session.call("POST", "/elements", { using: "css selector", value: "iframe" });
    const frames = [];
    for (const element of elements) {
      const frame = new Frame(this, element);
      frame.href = await frame.evaluate(() => location.href).catch(() => null);
      if (frame.href !== null) frames.push(frame);
    }
    await this.select();
    return frames;
  }

  /** The first iframe matching `selector`, to act inside (waiting for it and for what is asked of it). */
  frame(selector) {
    return new FrameLocator(this, selector);
  }

  async close() {
    await this.select();
    await this.session.call("DELETE", "/window");
    this.browser.current = null;
    await this.session.call("POST", "/window", { handle: this.browser.home });
    this.browser.current = this.browser.home;
  }
}

/** An iframe of a page, entered through its element. */
class Frame {
  constructor(page, element) {
    this.page = page;
    this.element = element;
  }

  url() {
    return this.href;
  }

  async enter() {
    await this.page.select();
    await this.page.session.call("POST", "/frame", { id: this.element });
  }

  async evaluate(fn, arg) {
    await this.enter();
    try {
      return await runScript(this.page.session, fn, arg);
    } finally {
      await this.page.session.call("POST", "/frame", { id: null });
    }
  }
}

/** The first iframe matching a selector, found afresh at each action, so that it may come and navigate. */
class FrameLocator {
  constructor(page, selector) {
    this.page = page;
    this.selector = selector;
  }

  /** Runs `action` inside the frame once `selector` (CSS, or `text=...`) is there; polls until `timeout`. */
  async inside(selector, action, timeout = 10000) {
    const { page } = this;
    const session = page.session;
    try {
      return await until(async () => {
        await page.select();
        const frame = await findElement(session, this.selector);
        if (!frame) return null;
        await session.call("POST", "/frame", { id: frame });
        if (selector.startsWith("text=")) {
          const text = selector.slice(5);
          const found = await runScript(session, (t) => document.body?.innerText.includes(t) ?? false, text);
          return found ? { done: await action(null) } : null;
        }
        const element = await findElement(session, selector);
        return element ? { done: await action(element[ELEMENT]) } : null;
      }, timeout, `${selector} in ${this.selector}`);
    } finally {
      await session.call("POST", "/frame", { id: null }).catch(() => {});
    }
  }

  waitFor(selector, { timeout = 10000 } = {}) {
    return this.inside(selector, () => true, timeout);
  }

  click(selector) {
    return this.inside(selector, (id) => this.page.session.call("POST", `/element/${id}/click`, {}).then(() => true));
  }

  fill(selector, text) {
    return this.inside(selector, (id) => typeInto(this.page.session, id, text).then(() => true));
  }

  async textContent(selector, { timeout = 10000 } = {}) {
    const { done } = await this.inside(selector, (id) => this.page.session.call("GET", `/element/${id}/text`), timeout);
    return done;
  }
}
