// Merges wasm-pack's output (target/wasm-pack) with the hand-written parts (pkg-config/) into pkg/,
// after shrinking the wasm with wasm-opt -Oz. The result is what `npm pack` publishes.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
const built = `${root}target/wasm-pack`;
const config = `${root}pkg-config`;
const out = `${root}pkg`;

rmSync(out, { recursive: true, force: true });
mkdirSync(out);

const wasmIn = `${built}/threeds_kit_bg.wasm`;
// npm's binaryen, not Debian's: wasm-opt 108 mangles the externref table that current wasm-bindgen emits.
// The features are those rustc enables by default for wasm32-unknown-unknown.
const features = ["reference-types", "multivalue", "bulk-memory", "nontrapping-float-to-int", "sign-ext", "mutable-globals"];
execFileSync(`${root}node_modules/.bin/wasm-opt`, ["-Oz", "--strip-debug", "--strip-producers", ...features.map((f) => `--enable-${f}`), wasmIn, "-o", `${out}/threeds_kit_bg.wasm`], { stdio: "inherit" });

for (const file of ["threeds_kit.js", "threeds_kit.d.ts", "threeds_kit_bg.wasm.d.ts"]) copyFileSync(`${built}/${file}`, `${out}/${file}`);
for (const file of ["browser.js", "node.js", "workerd.js", "index.d.ts", "README.md"]) copyFileSync(`${config}/${file}`, `${out}/${file}`);

const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(`${root}Cargo.toml`, "utf8"))[1];
const manifest = readFileSync(`${config}/package.json`, "utf8").replace("0.0.0-from-cargo-toml", version);
writeFileSync(`${out}/package.json`, manifest);

const kib = (f) => (statSync(`${out}/${f}`).size / 1024).toFixed(1);
console.log(`pkg/: threeds-kit ${version}, wasm ${kib("threeds_kit_bg.wasm")} KiB (before wasm-opt ${(statSync(wasmIn).size / 1024).toFixed(1)} KiB), glue ${kib("threeds_kit.js")} KiB`);
