// Browsers (and bundlers, Deno, web workers): fetch and instantiate the module once, on import, so that every
// export is ready when the import resolves. No init call for users.
import init from "./threeds_kit.js";

await init({ module_or_path: new URL("./threeds_kit_bg.wasm", import.meta.url) });

export * from "./api.js";
