// "threeds-kit/no-await": the browser build's API, and the promise to await before calling it.
export * from "./browser.js";

/**
 * Resolves when the functions can be called (in browsers, once the wasm module is fetched and instantiated;
 * in Node and workerd, at once); rejects when the wasm cannot be fetched or compiled.
 */
export declare const ready: Promise<void>;
