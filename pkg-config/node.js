// Node: the full build, read next to this file and instantiated synchronously on import.
import { readFileSync } from "node:fs";
import { initSync } from "./wasm/full.js";

// The wasm beside this file. Not `new URL(path, import.meta.url)`: bundlers of server code (Next.js's
// Turbopack) turn that pattern into the URL a browser would fetch the asset from, which Node cannot read.
const beside = (path) => new URL(import.meta.url.replace(/[^/]*$/, path));
initSync({ module: readFileSync(beside("./wasm/full_bg.wasm")) });

export * from "./full-api.js";
