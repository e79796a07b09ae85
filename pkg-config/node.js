// Node: read the module next to this file and instantiate it synchronously on import.
import { readFileSync } from "node:fs";
import { initSync } from "./threeds_kit.js";

initSync({ module: readFileSync(new URL("./threeds_kit_bg.wasm", import.meta.url)) });

export * from "./api.js";
