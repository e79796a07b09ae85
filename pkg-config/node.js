// Node: the full build, read next to this file and instantiated synchronously on import.
import { readFileSync } from "node:fs";
import { initSync } from "./wasm/full.js";

initSync({ module: readFileSync(new URL("./wasm/full_bg.wasm", import.meta.url)) });

export * from "./full-api.js";
