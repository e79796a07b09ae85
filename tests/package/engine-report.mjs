// A node:test reporter that records, for every test under an engine's describe block (chromium, firefox,
// webkit), whether it passed: tests/package/scratch/engine-results.json, which scripts/browser-table.mjs turns
// into the README's browser-support table. It writes nothing to its own stream: the spec reporter prints.
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { allEngines } from "./browsers.mjs";

const resultsFile = new URL("./scratch/engine-results.json", import.meta.url);

export default async function* engineReport(source) {
  const results = [];
  // The names of the tests and suites enclosing the current one, by nesting level, per file. test:start comes
  // in the order tests are defined, before their own results.
  const open = new Map();
  for await (const { type, data } of source) {
    if (type === "test:start") {
      const path = open.get(data.file) ?? [];
      path.length = data.nesting;
      path.push(data.name);
      open.set(data.file, path);
      continue;
    }
    if ((type !== "test:pass" && type !== "test:fail") || data.details?.type === "suite") continue;
    const path = (open.get(data.file) ?? []).slice(0, data.nesting);
    const engine = path[0];
    if (!allEngines.includes(engine)) continue;
    results.push({
      file: basename(data.file ?? ""),
      engine,
      suite: path.slice(1).join(" > "),
      name: data.name,
      passed: type === "test:pass" && !data.skip && !data.todo,
      error: type === "test:fail" ? String(data.details?.error?.cause?.message ?? data.details?.error?.message ?? "").slice(0, 300) : undefined,
    });
  }
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 1)}\n`);
}
