// "threeds-kit/no-await" in browsers and bundlers: the browser build without top-level await, for toolchains
// that cannot bundle it. The import resolves at once; the functions work once `ready` has resolved.
// scripts/assemble-pkg.mjs appends one guarded export per function of the browser build.
import init, * as wasm from "./wasm/browser.js";
import { ThreeDsError } from "./error.js";

export { ThreeDsError };

let instantiated = false;

/** Resolves when the wasm module is instantiated; rejects when it cannot be fetched or compiled. */
export const ready = init({ module_or_path: new URL("./wasm/browser_bg.wasm", import.meta.url) }).then(() => {
  instantiated = true;
});

/** `name` of the glue, refusing with a ThreeDsError until `ready` has resolved. */
function guarded(name, returnsPromise) {
  return (...args) => {
    if (instantiated) return wasm[name](...args);
    const error = new ThreeDsError("unsupported_environment", `threeds-kit/no-await: ${name} was called before \`ready\` resolved (await ready first)`);
    if (returnsPromise) return Promise.reject(error);
    throw error;
  };
}
