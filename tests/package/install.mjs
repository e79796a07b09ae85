// Packs pkg/ with `npm pack` and installs the tarball into a scratch app, as a user would.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { appDir, repoRoot, scratchDir } from "./support.mjs";

rmSync(scratchDir, { recursive: true, force: true });
mkdirSync(appDir, { recursive: true });
const npm = (args, cwd) => execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8" });
const tarball = npm(["pack", `${repoRoot}/pkg`, "--pack-destination", scratchDir, "--silent"], scratchDir).trim().split("\n").pop();
writeFileSync(`${appDir}/package.json`, JSON.stringify({ name: "scratch-app", private: true, type: "module" }));
npm(["install", `${scratchDir}/${tarball}`], appDir);
console.log(`installed ${tarball} into ${appDir}`);
