// "threeds-kit/full" in browsers and bundlers: every export (the decoders, the return parsers, the inspector),
// fetched and instantiated once, on import. A checkout page needs only "threeds-kit" (the browser build).
import init from "./wasm/full.js";

await init({ module_or_path: new URL("./wasm/full_bg.wasm", import.meta.url) });

export * from "./full-api.js";
