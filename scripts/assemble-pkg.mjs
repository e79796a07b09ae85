// Merges the crate's two builds as wasm-bindgen left them (target/bindgen/browser: `--no-default-features`, what
// a checkout page runs; target/bindgen/full: everything) with the hand-written parts (pkg-config/) into pkg/,
// after shrinking each wasm with wasm-opt -Oz. The result is what `npm pack` publishes:
//
//   browser.js   the browser build (export conditions `browser` and `default` of ".")
//   full.js      the full build in browsers and bundlers ("threeds-kit/full")
//   node.js      the full build in Node            workerd.js  the full build in Cloudflare workerd
//   no-await*.js "threeds-kit/no-await": the browser build without top-level await (a `ready` promise instead),
//                and in Node and workerd their entries with `ready` already resolved
//   wasm/        each build's glue and wasm        debug/      the same entries, wasm with its name section
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const root = new URL("..", import.meta.url).pathname;
const config = `${root}pkg-config`;
const out = `${root}pkg`;
const BUILDS = ["browser", "full"];

rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/wasm`, { recursive: true });
mkdirSync(`${out}/debug`, { recursive: true });

/** Replaces `from` by `to` in `text`, exactly `count` times, or fails the build: a silent miss would ship a broken package. */
function replaceExactly(text, from, to, what, count = 1) {
  const found = text.split(from).length - 1;
  if (found !== count) throw new Error(`assemble-pkg: expected ${count} of ${JSON.stringify(from)} in ${what}, found ${found}`);
  return text.split(from).join(to);
}

// npm's binaryen, not Debian's: wasm-opt 108 mangles the externref table that current wasm-bindgen emits.
// The features are those rustc enables by default for wasm32-unknown-unknown.
const features = ["reference-types", "multivalue", "bulk-memory", "nontrapping-float-to-int", "sign-ext", "mutable-globals"];
// wasm-opt runs its passes in the order given: options that mark functions come before -Oz.
const wasmOpt = (input, extra, output) =>
  execFileSync(`${root}node_modules/.bin/wasm-opt`, [...extra, "-Oz", "--strip-producers", ...features.map((f) => `--enable-${f}`), input, "-o", output], { stdio: "inherit" });
// The full build serves edge workers, where V8 compiles each wasm function on its first call and a cold start
// pays for every byte of the functions the first request runs. -Oz merges every function that has one caller
// into it, which made one 19 KB function of the providers' parsers: any first return compiled all six. Only
// small ones are merged there; a first Acquired.com return compiles 67 KB instead of 76 and the cold start
// share fell by about half a millisecond in workerd, at no cost per call (README, Benchmark). The browser build
// keeps -Oz whole: its bytes are downloaded.
const INLINING = { browser: [], full: ["--one-caller-inline-max-function-size=200"] };

const errorClass = readFileSync(`${config}/index.d.ts`, "utf8");
for (const build of BUILDS) {
  const built = `${root}target/bindgen/${build}`;
  // The default download has no name section; the opt-in `threeds-kit/debug` entries keep it, so that stack
  // traces name the Rust functions instead of wasm-function[259].
  wasmOpt(`${built}/threeds_kit_bg.wasm`, ["--strip-debug", ...INLINING[build]], `${out}/wasm/${build}_bg.wasm`);
  wasmOpt(`${built}/threeds_kit_bg.wasm`, ["--debuginfo", ...INLINING[build]], `${out}/debug/${build}_bg.wasm`);

  // The glue imports the error class from the snippet wasm-bindgen copied (src/boundary/mod.rs); the package
  // ships that file once, as error.js, so that both builds and every entry share one class.
  const [snippetDir] = readdirSync(`${built}/snippets`);
  let glue = readFileSync(`${built}/threeds_kit.js`, "utf8");
  glue = replaceExactly(glue, `'./snippets/${snippetDir}/pkg-config/error.js'`, `"../error.js"`, `the ${build} glue`);
  // The glue's fallback when init gets no path names wasm-bindgen's file name, which the package does not ship:
  // bundlers follow that `new URL(...)` too (webpack fails the build on it, Vite and Parcel warn). Every entry
  // passes its module or path, so the fallback goes.
  glue = replaceExactly(glue, `module_or_path = new URL('threeds_kit_bg.wasm', import.meta.url);`,
    `throw new Error("threeds-kit: the wasm module's path is required");`, `the ${build} glue`);
  // Minified: the glue is a third of what a checkout page downloads. esbuild keeps the export names, the
  // `import.meta.url` and the import of ../error.js as they are.
  writeFileSync(`${out}/wasm/${build}.js`, execFileSync(`${root}node_modules/.bin/esbuild`, ["--minify", "--format=esm", "--target=es2022", "--log-level=warning"], { input: glue, encoding: "utf8" }));

  // The export list of the build: every function the glue exports but its init functions, which stay inside
  // the package, and the error class. Read from the glue, so the list cannot drift from the Rust exports.
  const functions = [...glue.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]).sort();
  const api = `// The ${build} build's public API, exactly (generated from its glue by scripts/assemble-pkg.mjs).\nexport {\n${functions.map((f) => `  ${f},`).join("\n")}\n} from "./wasm/${build}.js";\nexport { ThreeDsError } from "./error.js";\n`;
  writeFileSync(`${out}/${build}-api.js`, api);

  // The build's declarations: wasm-bindgen's (its exports and the TYPES sections of src/boundary/) without
  // the glue's init functions, and the hand-written part (the error class).
  const declarations = readFileSync(`${built}/threeds_kit.d.ts`, "utf8");
  const initStart = declarations.indexOf("\nexport type InitInput");
  if (initStart < 0) throw new Error(`assemble-pkg: the init declarations were not found in the ${build} build's d.ts`);
  const types = build === "full" ? "index.d.ts" : "browser.d.ts";
  writeFileSync(`${out}/${types}`, `${declarations.slice(0, initStart).trimEnd()}\n\n${errorClass}`);

  // "threeds-kit/no-await" in browsers: the browser build behind a `ready` promise. Each function is guarded,
  // so that a call before `ready` resolves is a ThreeDsError like every other misuse (a rejected promise for
  // the async ones), not a TypeError from inside the glue.
  if (build === "browser") {
    const returnsPromise = (name) => new RegExp(`export function ${name}\\([^;]*\\): Promise<`).test(declarations);
    const guards = functions.map((f) => `export const ${f} = guarded("${f}", ${returnsPromise(f)});`).join("\n");
    writeFileSync(`${out}/no-await.js`, `${readFileSync(`${config}/no-await.js`, "utf8").trimEnd()}\n\n${guards}\n`);
  }
}

for (const file of ["browser.js", "full.js", "node.js", "workerd.js", "no-await-node.js", "no-await-workerd.js", "no-await.d.ts", "error.js", "README.md"]) copyFileSync(`${config}/${file}`, `${out}/${file}`);
for (const file of ["CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"]) copyFileSync(`${root}${file}`, `${out}/${file}`);
// The debug entries: the same shims, loading the wasm with names beside them and sharing the glue above.
for (const file of ["browser.js", "full.js", "node.js", "workerd.js"]) {
  let shim = readFileSync(`${config}/${file}`, "utf8");
  shim = shim.replace(/"\.\/wasm\/(\w+)\.js"/g, `"../wasm/$1.js"`).replace(/"\.\/(\w+)-api\.js"/g, `"../$1-api.js"`);
  shim = replaceExactly(shim, `"./wasm/`, `"./`, file);
  writeFileSync(`${out}/debug/${file}`, `// The threeds-kit/debug entries: a wasm module that keeps its name section, for readable stack traces.\n${shim}`);
}

const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(`${root}Cargo.toml`, "utf8"))[1];
const manifest = readFileSync(`${config}/package.json`, "utf8").replace("0.0.0-from-cargo-toml", version);
writeFileSync(`${out}/package.json`, manifest);

const gz = (f) => (gzipSync(readFileSync(`${out}/${f}`), { level: 9 }).length / 1024).toFixed(1);
const kib = (f) => (statSync(`${out}/${f}`).size / 1024).toFixed(1);
console.log(`pkg/: threeds-kit ${version}`);
for (const build of BUILDS) {
  console.log(`  ${build}: wasm ${kib(`wasm/${build}_bg.wasm`)} KiB (${gz(`wasm/${build}_bg.wasm`)} gzip), glue ${kib(`wasm/${build}.js`)} KiB (${gz(`wasm/${build}.js`)} gzip); debug wasm ${kib(`debug/${build}_bg.wasm`)} KiB`);
}
