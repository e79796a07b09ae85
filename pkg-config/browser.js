// Browsers and bundlers: the browser build, what a checkout page runs. It is fetched and instantiated once, on
// import, so every export is ready when the import resolves. The rest of the API is "threeds-kit/full".
import init from "./wasm/browser.js";

await init({ module_or_path: new URL("./wasm/browser_bg.wasm", import.meta.url) });

export * from "./browser-api.js";
