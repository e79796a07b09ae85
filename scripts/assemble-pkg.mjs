// Merges wasm-pack's output (target/wasm-pack) with the hand-written parts (pkg-config/) into pkg/,
// after shrinking the wasm with wasm-opt -Oz. The result is what `npm pack` publishes.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
const built = `${root}target/wasm-pack`;
const config = `${root}pkg-config`;
const out = `${root}pkg`;

rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/debug`, { recursive: true });

const wasmIn = `${built}/threeds_kit_bg.wasm`;
// npm's binaryen, not Debian's: wasm-opt 108 mangles the externref table that current wasm-bindgen emits.
// The features are those rustc enables by default for wasm32-unknown-unknown.
const features = ["reference-types", "multivalue", "bulk-memory", "nontrapping-float-to-int", "sign-ext", "mutable-globals"];
const wasmOpt = (extra, output) =>
  execFileSync(`${root}node_modules/.bin/wasm-opt`, ["-Oz", "--strip-producers", ...extra, ...features.map((f) => `--enable-${f}`), wasmIn, "-o", output], { stdio: "inherit" });
// The default download has no name section; the opt-in `threeds-kit/debug` entry keeps it, so that stack
// traces name the Rust functions instead of wasm-function[259].
wasmOpt(["--strip-debug"], `${out}/threeds_kit_bg.wasm`);
wasmOpt(["--debuginfo"], `${out}/debug/threeds_kit_bg.wasm`);

/** Replaces `from` by `to` in `text`, exactly `count` times, or fails the build: a silent miss would ship a broken package. */
function replaceExactly(text, from, to, what, count = 1) {
  const found = text.split(from).length - 1;
  if (found !== count) throw new Error(`assemble-pkg: expected ${count} of ${JSON.stringify(from)} in ${what}, found ${found}`);
  return text.split(from).join(to);
}

// The glue imports the error class from the snippet wasm-bindgen copied (src/boundary.rs); the package
// ships that file once, as error.js beside the glue, so that the glue and every entry share one class.
const [snippetDir] = readdirSync(`${built}/snippets`);
let glue = readFileSync(`${built}/threeds_kit.js`, "utf8");
glue = replaceExactly(glue, `'./snippets/${snippetDir}/pkg-config/error.js'`, `"./error.js"`, "the glue");
writeFileSync(`${out}/threeds_kit.js`, glue);

// One declaration file: wasm-bindgen's (the exports and the TYPES section of src/boundary.rs) without the
// glue's init functions, which the package does not export, and the hand-written part (the error class).
const declarations = readFileSync(`${built}/threeds_kit.d.ts`, "utf8");
const initStart = declarations.indexOf("\nexport type InitInput");
if (initStart < 0) throw new Error("assemble-pkg: the glue's init declarations were not found in threeds_kit.d.ts");
const exported = declarations.slice(0, initStart).trimEnd();
writeFileSync(`${out}/index.d.ts`, `${exported}\n\n${readFileSync(`${config}/index.d.ts`, "utf8")}`);

for (const file of ["browser.js", "node.js", "workerd.js", "api.js", "error.js", "README.md"]) copyFileSync(`${config}/${file}`, `${out}/${file}`);
for (const file of ["CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"]) copyFileSync(`${root}${file}`, `${out}/${file}`);
// The debug entries: the same shims, loading the wasm with names beside them and sharing the glue above.
for (const file of ["browser.js", "node.js", "workerd.js"]) {
  let shim = readFileSync(`${config}/${file}`, "utf8");
  shim = replaceExactly(shim, `"./threeds_kit.js"`, `"../threeds_kit.js"`, file);
  shim = replaceExactly(shim, `"./api.js"`, `"../api.js"`, file);
  writeFileSync(`${out}/debug/${file}`, `// The threeds-kit/debug entry: a wasm module that keeps its name section, for readable stack traces.\n${shim}`);
}

const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(`${root}Cargo.toml`, "utf8"))[1];
const manifest = readFileSync(`${config}/package.json`, "utf8").replace("0.0.0-from-cargo-toml", version);
writeFileSync(`${out}/package.json`, manifest);

const kib = (f) => (statSync(`${out}/${f}`).size / 1024).toFixed(1);
console.log(`pkg/: threeds-kit ${version}, wasm ${kib("threeds_kit_bg.wasm")} KiB (before wasm-opt ${(statSync(wasmIn).size / 1024).toFixed(1)} KiB; debug ${kib("debug/threeds_kit_bg.wasm")} KiB), glue ${kib("threeds_kit.js")} KiB`);
