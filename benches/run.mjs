// `make bench`: prints the figures, side by side with the named peers, measured in this run.
// Figures only: nothing here passes or fails, the machines are shared and noisy.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { decodeLoop, plainDecodeCres } from "./plain-decode.mjs";

const root = new URL("..", import.meta.url).pathname;
const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

function sizeSection() {
  const ours = ["threeds_kit_bg.wasm", "threeds_kit.js", "browser.js"].map((f) => [f, gz(`${root}pkg/${f}`)]);
  const total = ours.reduce((sum, [, n]) => sum + n, 0);
  const peerPath = `${root}node_modules/globalpayments-3ds/dist/globalpayments-3ds.min.js`;
  const peer = gz(peerPath);
  const peerVersion = JSON.parse(readFileSync(`${root}node_modules/globalpayments-3ds/package.json`, "utf8")).version;
  console.log("\n## Download size (gzip -9), what a browser fetches");
  for (const [file, n] of ours) console.log(`  threeds-kit ${file.padEnd(22)} ${kib(n)}`);
  console.log(`  threeds-kit total                  ${kib(total)}`);
  console.log(`  globalpayments-3ds@${peerVersion} min.js   ${kib(peer)}`);
  console.log(`  ratio threeds-kit / globalpayments-3ds: ${ratio(total, peer)}`);
}

function throughput(decode, rounds = 7, n = 20000) {
  decodeLoop(decode, 2000); // warm up the JIT and the wasm tier-up
  const rates = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    decodeLoop(decode, n);
    rates.push(n / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  return median(rates);
}

async function nodeSection() {
  const { decodeCres } = await import(`${root}pkg/node.js`);
  const wasm = throughput(decodeCres);
  const js = throughput(plainDecodeCres);
  console.log("\n## decodeCres throughput in Node (typical padded cres, median of 7 rounds of 20k)");
  console.log(`  threeds-kit (wasm)   ${Math.round(wasm).toLocaleString("en")} decodes/s`);
  console.log(`  plain JS             ${Math.round(js).toLocaleString("en")} decodes/s`);
  console.log(`  ratio wasm / plain JS: ${ratio(wasm, js)}`);
}

async function workerdSection() {
  const { startWorkerd } = await import("../tests/package/support.mjs");
  const { execFileSync } = await import("node:child_process");
  execFileSync("node", [`${root}tests/package/install.mjs`], { stdio: "ignore" });
  const workerd = await startWorkerd({ worker: `${root}benches/bench-worker.mjs`, modules: { "plain-decode.mjs": `${root}benches/plain-decode.mjs` } });
  try {
    const timeRequest = async (impl, n) => {
      const start = process.hrtime.bigint();
      await (await fetch(`${workerd.origin}/loop?impl=${impl}&n=${n}`)).text();
      return Number(process.hrtime.bigint() - start) / 1e9;
    };
    const rate = async (impl, n = 20000) => {
      await timeRequest(impl, 2000);
      const samples = [];
      for (let r = 0; r < 7; r++) samples.push(Math.max((await timeRequest(impl, n)) - (await timeRequest(impl, 0)), 1e-9));
      return n / median(samples);
    };
    const wasm = await rate("wasm");
    const js = await rate("js");
    console.log("\n## decodeCres throughput in workerd (per request of 20k decodes minus an empty request, median of 7)");
    console.log(`  threeds-kit (wasm)   ${Math.round(wasm).toLocaleString("en")} decodes/s`);
    console.log(`  plain JS             ${Math.round(js).toLocaleString("en")} decodes/s`);
    console.log(`  ratio wasm / plain JS: ${ratio(wasm, js)}`);
  } finally {
    workerd.stop();
  }
}

console.log("threeds-kit benchmark (figures from this run on this machine)");
sizeSection();
await nodeSection();
await workerdSection();
