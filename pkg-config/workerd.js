// Cloudflare workerd: the full build. The runtime (and wrangler's bundler) compiles .wasm imports ahead of
// time; instantiating a compiled module at load is allowed, compiling bytes at run time is not.
import wasmModule from "./wasm/full_bg.wasm";
import { initSync } from "./wasm/full.js";

initSync({ module: wasmModule });

export * from "./full-api.js";
