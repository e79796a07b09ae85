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
  // Every module and wasm the `browser` entry reaches.
  const ours = ["wasm/browser_bg.wasm", "wasm/browser.js", "browser.js", "browser-api.js", "error.js"].map((f) => [f, gz(`${root}pkg/${f}`)]);
  const total = ours.reduce((sum, [, n]) => sum + n, 0);
  const full = ["wasm/full_bg.wasm", "wasm/full.js", "full.js", "full-api.js", "error.js"].reduce((sum, f) => sum + gz(`${root}pkg/${f}`), 0);
  const peerPath = `${root}node_modules/globalpayments-3ds/dist/globalpayments-3ds.min.js`;
  const peer = gz(peerPath);
  const peerVersion = JSON.parse(readFileSync(`${root}node_modules/globalpayments-3ds/package.json`, "utf8")).version;
  console.log("\n## Download size (gzip -9): what a browser fetches for the `browser` entry (\"threeds-kit\")");
  for (const [file, n] of ours) console.log(`  threeds-kit ${file.padEnd(22)} ${kib(n)}`);
  console.log(`  threeds-kit total                  ${kib(total)}   (budget 20 KiB)`);
  console.log(`  for comparison, "threeds-kit/full" in a browser: ${kib(full)}`);
  console.log(`  globalpayments-3ds@${peerVersion} min.js   ${kib(peer)}`);
  console.log(`  ratio threeds-kit / globalpayments-3ds: ${ratio(total, peer)}`);
}

// Times each of `measures` (name -> async function giving one figure) once per round, in turn, the first two
// swapping places every other round; gives each name's figures. On a shared machine the load moves between
// rounds: a ratio of two figures taken back to back (`ownRatios`) holds still where a ratio of two medians moves
// with it (0.60x to 1.53x across runs of one build).
async function inTurns(rounds, measures) {
  const names = Object.keys(measures);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? names : [names[1], names[0], ...names.slice(2)];
    for (const name of order) samples[name].push(await measures[name]());
  }
  return samples;
}
const ownRatios = (as, bs) => as.map((a, r) => a / bs[r]);
const ratioLine = (label, ratios) =>
  `  ratio ${label}: ${median(ratios).toFixed(2)}x, median of the ${ratios.length} rounds' own ratios (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`;
const DECODE_ROUNDS = Number(process.env.BENCH_DECODE_ROUNDS ?? 15);

// Decodes per second over one round of n.
function decodeRate(decode, n = 20000) {
  const start = process.hrtime.bigint();
  decodeLoop(decode, n);
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function nodeSection() {
  const { decodeCres } = await import(`${root}pkg/node.js`);
  decodeLoop(decodeCres, 2000); // warm up the JIT and the wasm tier-up
  decodeLoop(plainDecodeCres, 2000);
  const rates = await inTurns(DECODE_ROUNDS, { wasm: () => decodeRate(decodeCres), js: () => decodeRate(plainDecodeCres) });
  const [wasm, js, ratios] = [median(rates.wasm), median(rates.js), ownRatios(rates.wasm, rates.js)];
  console.log(`\n## decodeCres throughput in Node (typical padded cres, medians of ${DECODE_ROUNDS} rounds of 20k, taking turns)`);
  console.log(`  threeds-kit (wasm)   ${Math.round(wasm).toLocaleString("en")} decodes/s`);
  console.log(`  plain JS             ${Math.round(js).toLocaleString("en")} decodes/s`);
  console.log(ratioLine("wasm / plain JS (throughput)", ratios));
}

// The workerd sections run the package as installed from a tarball of pkg/, packed once per run (a section run
// alone must not measure an older build).
let installed = false;
async function installPackage() {
  if (installed) return;
  const { execFileSync } = await import("node:child_process");
  execFileSync("node", [`${root}tests/package/install.mjs`], { stdio: "ignore" });
  installed = true;
}

async function workerdSection() {
  const { startWorkerd } = await import("../tests/package/support.mjs");
  await installPackage();
  const workerd = await startWorkerd({ worker: `${root}benches/bench-worker.mjs`, modules: { "plain-decode.mjs": `${root}benches/plain-decode.mjs` } });
  try {
    const timeRequest = async (impl, n) => {
      const start = process.hrtime.bigint();
      await (await fetch(`${workerd.origin}/loop?impl=${impl}&n=${n}`)).text();
      return Number(process.hrtime.bigint() - start) / 1e9;
    };
    // Decodes per second over one request of n, minus an empty request's time.
    const rate = async (impl, n = 20000) => n / Math.max((await timeRequest(impl, n)) - (await timeRequest(impl, 0)), 1e-9);
    await timeRequest("wasm", 2000);
    await timeRequest("js", 2000);
    const rates = await inTurns(DECODE_ROUNDS, { wasm: () => rate("wasm"), js: () => rate("js") });
    const [wasm, js, ratios] = [median(rates.wasm), median(rates.js), ownRatios(rates.wasm, rates.js)];
    console.log(`\n## decodeCres throughput in workerd (per request of 20k decodes minus an empty request, medians of ${DECODE_ROUNDS}, taking turns)`);
    console.log(`  threeds-kit (wasm)   ${Math.round(wasm).toLocaleString("en")} decodes/s`);
    console.log(`  plain JS             ${Math.round(js).toLocaleString("en")} decodes/s`);
    console.log(ratioLine("wasm / plain JS (throughput)", ratios));
  } finally {
    workerd.stop();
  }
}

async function browserSection() {
  const { launchChromium, startDemoServer } = await import("../tests/package/support.mjs");
  const demo = await startDemoServer();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${demo.origin}/bench.html`);
    await page.waitForSelector("body[data-ready]");
    const prepare = (scenario, methodQuery) =>
      page.evaluate(async ([scenario, methodQuery]) => (await fetch("/api/3ds/prepare", { method: "POST", body: JSON.stringify({ scenario, methodQuery }) })).json(), [scenario, methodQuery]);
    const receivedAt = async (tx) => (await (await fetch(`${demo.origin}/api/3ds/timings?id=${tx.threeDSServerTransID}`)).json()).methodReceivedAt;
    const libs = { ours: "threeds-kit", theirs: "globalpayments-3ds" };
    const fast = { ours: { post: [], settle: [] }, theirs: { post: [], settle: [] } };
    const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
    for (let round = 0; round < rounds + 2; round++) {
      for (const lib of Object.keys(libs)) {
        const tx = await prepare("frictionless", "delay=0");
        const timing = await page.evaluate(([lib, tx]) => bench[lib](tx), [lib, tx]);
        if (round < 2) continue; // warm-up
        fast[lib].post.push((await receivedAt(tx)) - timing.calledAt);
        if (timing.notifiedAt) fast[lib].settle.push(timing.settledAt - timing.notifiedAt);
      }
    }
    const timeoutRounds = Number(process.env.BENCH_TIMEOUT_ROUNDS ?? 3);
    const timeoutError = { ours: [], theirs: [] };
    const timeoutFromPost = { ours: [], theirs: [] };
    for (let round = 0; round < timeoutRounds; round++) {
      for (const lib of Object.keys(libs)) {
        const tx = await prepare("method-times-out");
        const timing = await page.evaluate(([lib, tx]) => bench[lib](tx, 10000), [lib, tx]);
        timeoutError[lib].push(timing.settledAt - timing.calledAt - 10000);
        timeoutFromPost[lib].push(timing.settledAt - (await receivedAt(tx)) - 10000);
      }
    }
    const ms = (x) => `${x.toFixed(2)} ms`;
    console.log(`\n## 3DS Method in Chromium, threeds-kit vs globalpayments-3ds, same page and mock ACS (medians of ${rounds}; timeout: ${timeoutRounds} runs, both set to 10 s)`);
    console.log(`  ${"".padEnd(44)}${"threeds-kit".padStart(14)}${"globalpayments-3ds".padStart(20)}${"ratio".padStart(8)}`);
    const row = (label, a, b) => console.log(`  ${label.padEnd(44)}${ms(a).padStart(14)}${ms(b).padStart(20)}${ratio(a, b).padStart(8)}`);
    row("call -> ACS receives the method POST", median(fast.ours.post), median(fast.theirs.post));
    row("notification posted -> promise settled", median(fast.ours.settle), median(fast.theirs.settle));
    row("10 s timeout: call to settle minus 10000 ms", median(timeoutError.ours), median(timeoutError.theirs));
    row("10 s timeout: ACS receives POST to settle - 10 s", median(timeoutFromPost.ours), median(timeoutFromPost.theirs));
  } finally {
    await browser.close();
    demo.stop();
  }
}

async function edgeSection() {
  const edgeRounds = Number(process.env.BENCH_EDGE_ROUNDS ?? 15);
  const { startWorkerd } = await import("../tests/package/support.mjs");
  await installPackage();
  const timeRequest = async (origin, path) => {
    const start = process.hrtime.bigint();
    const response = await fetch(`${origin}${path}`);
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    await response.text();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const workerd = await startWorkerd({ worker: `${root}benches/return-worker.mjs` });
  let perCall;
  try {
    // Each implementation is first run until V8 has tiered its code up (wasm starts in a baseline compiler and
    // is optimised in the background after enough calls: timed too early, whichever runs first pays for it),
    // then the rounds take turns (`inTurns`, wasm and plain JS back to back), so that a change of load on the
    // machine falls on every implementation alike, and the ratio is each round's own.
    const impls = ["wasm", "js", "text", "parse", "verify"];
    const n = 2000;
    for (const impl of impls) for (let w = 0; w < 5; w++) await timeRequest(workerd.origin, `/loop?impl=${impl}&n=${n}`);
    const perRequest = async (impl) => {
      const loop = await timeRequest(workerd.origin, `/loop?impl=${impl}&n=${n}`);
      return (loop - (await timeRequest(workerd.origin, `/loop?impl=${impl}&n=0`))) / n;
    };
    const samples = await inTurns(edgeRounds, Object.fromEntries(impls.map((impl) => [impl, () => perRequest(impl)])));
    perCall = Object.fromEntries(impls.map((impl) => [impl, median(samples[impl]) * 1000]));
    perCall.ratios = ownRatios(samples.wasm, samples.js);
  } finally {
    workerd.stop();
  }
  // Cold start: a new workerd each time, timed from spawn to the first answer; the empty worker's time is
  // workerd's own start-up, the difference is loading the package plus the first parse. Spawning is noisy on
  // a shared machine, so: 31 starts of each, alternating, and the spread beside the median.
  const starts = Number(process.env.BENCH_COLD_STARTS ?? 31);
  const samples = { withPackage: [], empty: [] };
  const coldStart = async (worker, path) => {
    const start = process.hrtime.bigint();
    const instance = await startWorkerd({ worker, pollMs: 2 });
    try {
      await timeRequest(instance.origin, path);
      return Number(process.hrtime.bigint() - start) / 1e6;
    } finally {
      instance.stop();
    }
  };
  for (let r = 0; r < starts; r++) {
    samples.withPackage.push(await coldStart(`${root}benches/return-worker.mjs`, "/first"));
    samples.empty.push(await coldStart(`${root}benches/empty-worker.mjs`, "/"));
  }
  const spread = (xs) => `min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}`;
  const withPackage = median(samples.withPackage);
  const empty = median(samples.empty);
  // Each pair ran back to back, under the same load: the median of their differences is steadier than the
  // difference of the medians.
  const shares = samples.withPackage.map((t, i) => t - samples.empty[i]);
  console.log(`\n## parseReturnRequest in workerd: Acquired.com return with its integrity check (median of ${edgeRounds} rounds of 2000, taking turns, after a warm-up of 10,000 each)`);
  console.log(`  threeds-kit (wasm, SHA-256 in Rust)   ${perCall.wasm.toFixed(1)} µs per request`);
  console.log(`  plain JS (WebCrypto)                  ${perCall.js.toFixed(1)} µs per request`);
  console.log(ratioLine("wasm / plain JS (time)", perCall.ratios));
  console.log("  where the wasm time goes (each part alone, same loop):");
  console.log(`    reading the body (request.text())                 ${perCall.text.toFixed(1)} µs`);
  console.log(`    parseReturn on the read body (crossing + parse + hash) ${perCall.parse.toFixed(1)} µs`);
  console.log(`    verifyAcquiredRedirect alone (form + two SHA-256)  ${perCall.verify.toFixed(1)} µs`);
  console.log(`\n## cold start in workerd (spawn to first answer, median of ${starts} each, alternating)`);
  console.log(`  worker with threeds-kit, first parseReturnRequest   ${withPackage.toFixed(1)} ms (${spread(samples.withPackage)})`);
  console.log(`  empty worker                                        ${empty.toFixed(1)} ms (${spread(samples.empty)})`);
  console.log(`  threeds-kit's share (instantiate + first request):  ${median(shares).toFixed(1)} ms, median of the ${starts} paired differences (${spread(shares)})`);
}

console.log("threeds-kit benchmark (figures from this run on this machine)");
// BENCH_ONLY=size,node,workerd,edge,browser runs some sections only.
const sections = { size: sizeSection, node: nodeSection, workerd: workerdSection, edge: edgeSection, browser: browserSection };
for (const name of process.env.BENCH_ONLY?.split(",") ?? Object.keys(sections)) await sections[name]();
