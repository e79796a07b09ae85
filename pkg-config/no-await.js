// "threeds-kit/no-await" in browsers and bundlers: the browser build without top-level await, for toolchains
// that cannot bundle it. The import resolves at once; the exports work once `ready` has resolved.
import init from "./wasm/browser.js";

/** Resolves when the wasm module is instantiated; rejects when it cannot be fetched or compiled. */
export const ready = init({ module_or_path: new URL("./wasm/browser_bg.wasm", import.meta.url) }).then(() => undefined);

export * from "./browser-api.js";
