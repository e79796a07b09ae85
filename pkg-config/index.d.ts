// The package's types: everything the wasm module exports, ready on import (no init call needed).
export * from "./threeds_kit.js";
