// Exposes the package to the end-to-end tests and counts "message" listeners, so that the tests can see
// that a finished flow leaves none behind.
import * as tds from "/pkg/browser.js";

const add = window.addEventListener.bind(window);
const remove = window.removeEventListener.bind(window);
const live = new Set();
window.addEventListener = (type, listener, options) => {
  if (type === "message") live.add(listener);
  return add(type, listener, options);
};
window.removeEventListener = (type, listener, options) => {
  if (type === "message") live.delete(listener);
  return remove(type, listener, options);
};
window.messageListenerCount = () => live.size;

// Calls `tds[name]` with options (JSON) made in this page's realm while this realm's Object.prototype carries
// `polluted`, as a vulnerable dependency merging attacker JSON would leave it. Here, not in the test's script:
// a WebDriver script may run in a realm of its own (Firefox), whose Object.prototype the package never sees.
window.callPolluted = async (polluted, name, ...args) => {
  for (const key of Object.keys(polluted)) Object.defineProperty(Object.prototype, key, { value: polluted[key], configurable: true, writable: true });
  try {
    return { value: await tds[name](...args.map((arg) => JSON.parse(JSON.stringify(arg)))) };
  } catch (e) {
    return { code: e.code, message: e.message };
  } finally {
    for (const key of Object.keys(polluted)) delete Object.prototype[key];
  }
};
window.tds = tds;
document.body.dataset.ready = "true";
