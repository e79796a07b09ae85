// Cloudflare workerd: the runtime (and wrangler's bundler) compiles .wasm imports ahead of time; instantiating
// a compiled module at load is allowed, compiling bytes at run time is not.
import wasmModule from "./threeds_kit_bg.wasm";
import { initSync } from "./threeds_kit.js";

initSync({ module: wasmModule });

export * from "./api.js";
