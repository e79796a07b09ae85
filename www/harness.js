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
window.tds = tds;
document.body.dataset.ready = "true";
