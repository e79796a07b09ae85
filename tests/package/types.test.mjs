// The package's types as a strict TypeScript user meets them: consumer projects in the scratch app, under
// moduleResolution bundler, node16 and nodenext, with `strict` and without `skipLibCheck`, that call every
// export as the README shows and hold every README code block, type-checked with tsc.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { appDir, installedDir, repoRoot } from "./support.mjs";
import { PUBLIC_EXPORTS } from "./cases.mjs";

const tsc = `${repoRoot}/node_modules/.bin/tsc`;
const declarations = readFileSync(`${installedDir}/index.d.ts`, "utf8");

/** The README's code blocks that a user copies into a project (shell blocks and the layout tree are not code). */
export const readmeBlocks = [...readFileSync(`${repoRoot}/README.md`, "utf8").matchAll(/```(js|ts)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] }));

// Calls every export the way the README shows it, and asserts what must not compile with @ts-expect-error
// (tsc fails on an expectation that no longer holds).
// The browser build's functions come from "threeds-kit", the rest from "threeds-kit/full", as the README
// tells users to import them; under every resolution both resolve to declarations that type-check.
const consumer = `import {
  ThreeDsError, challengeWindowSize, collectBrowserInfo, encodeCreq, encodeMethodData, encodeSessionData,
  nextAction, notifyParent, perform, runChallenge, runMethod,
} from "threeds-kit";
import {
  decodeCreq, decodeCres, decodeMethodData, decodeMethodNotification, decodeSessionData, inspectPayload,
  interpretVresultCode, liabilityShift, parseReturn, parseReturnRequest, respondToNotification, serverBrowserInfo,
  verifyAcquiredRedirect, verifyAcquiredWebhook, verifyIngenicoReturnMac, verifyVeritransPush, verifyVeritransRedirect,
  ThreeDsError as FullThreeDsError,
} from "threeds-kit/full";
import type { CreqInput, NextAction, ThreeDsErrorCode } from "threeds-kit";
import type { Creq, ReturnResult } from "threeds-kit/full";

// One class for both builds.
ThreeDsError satisfies typeof FullThreeDsError;

declare const apiResponse: object;
declare const request: Request;
declare const container: HTMLElement;
const ID = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";

// Options are optional: the calls as the README writes them.
const action: NextAction = nextAction("shift4", apiResponse);
nextAction("shift4", apiResponse, { methodNotificationUrl: "https://shop.example/3ds/notify" });
await perform(action);
await perform(action, { container });
const result: ReturnResult = parseReturn({ method: "GET", url: "https://shop.example/return?secure_token_id=tok_1" });
parseReturn({ method: "POST", url: "/return", body: "a=b", contentType: null }, { provider: "acquired", keys: { acquiredAppKey: "k" } });
await parseReturnRequest(request);
await parseReturnRequest(request, { provider: "acquired", keys: { acquiredAppKey: "k" }, maxAgeSeconds: 600 });
result.outcome satisfies "authenticated" | "attempted" | "challenge_required" | "not_authenticated" | "rejected" | "unavailable" | "pending" | "error";

// The codec.
const creqInput: CreqInput = { threeDSServerTransID: ID, acsTransID: ID, messageVersion: "2.2.0", challengeWindowSize: "02" };
const creq: Creq = decodeCreq(encodeCreq(creqInput));
creq.messageVersion satisfies string;
const cres = decodeCres("...");
if (cres.messageType === "CRes") cres.transStatus satisfies string | undefined; else cres.errorCode satisfies string;
decodeMethodData(encodeMethodData({ threeDSServerTransID: ID, threeDSMethodNotificationURL: "https://shop.example/n" })).threeDSServerTransID satisfies string;
decodeMethodNotification("...").threeDSServerTransID satisfies string;
challengeWindowSize("05").width satisfies string;
inspectPayload("cres=...").kind satisfies string;

// Session data is the caller's: unknown going in and coming out, narrowed by the caller.
const sessionData: string = encodeSessionData({ order: "o-1", mode: "redirect" });
const state = decodeSessionData(sessionData);
// @ts-expect-error the decoded state is unknown until the caller checks it
state.order;
if (typeof state === "object" && state !== null && "order" in state) state.order satisfies unknown;

// The browser steps and the responders.
const method = await runMethod({ methodUrl: null, threeDSServerTransID: ID, notificationUrl: "https://shop.example/n" });
method.compInd satisfies "Y" | "N" | "U";
const challenge = await runChallenge({ acsUrl: "https://acs.example/c", creq: "...", notificationUrl: "https://shop.example/n", container });
if ("mode" in challenge) challenge.mode satisfies "redirect"; else challenge.messageType satisfies "CRes" | "Erro";
collectBrowserInfo().browserJavascriptEnabled satisfies true;
serverBrowserInfo({ acceptHeader: request.headers.get("accept"), ip: request.headers.get("cf-connecting-ip") });
const { result: notified, html } = respondToNotification({ body: "", contentType: request.headers.get("content-type") }, { targetOrigin: "https://shop.example", nonce: "n" });
html satisfies string;
notifyParent(notified, { targetOrigin: "https://shop.example" }) satisfies boolean;

// The integrity checks and the interpretation.
verifyAcquiredRedirect({ status: "success" }, "app_key") satisfies boolean;
verifyAcquiredRedirect("status=success", "app_key");
verifyAcquiredWebhook("{}", "hash", "app_key");
verifyVeritransRedirect({ vAuthInfo: "x" }, "ccid", "password");
verifyVeritransPush("body", "h=HmacSHA256;s=a;v=b", "secret");
verifyIngenicoReturnMac("a", "b");
interpretVresultCode("G001000000000000", "mpi-complete").riskBearer satisfies "card_company" | "merchant" | "nobody";
liabilityShift({ brand: "visa", cardType: "consumer", eci: "05", cavvPresent: true }).liabilityShift satisfies "yes" | "no";

// Errors: a class to narrow with, and a code that is the union of the codes.
function codeOf(error: unknown): ThreeDsErrorCode | "other" {
  if (!(error instanceof ThreeDsError)) return "other";
  error.name satisfies "ThreeDsError";
  error.message satisfies string;
  switch (error.code) {
    case "invalid_base64": case "invalid_json": case "missing_field": case "invalid_field": case "too_large":
    case "aborted": case "timeout": case "empty_result": case "unsupported_environment": case "unknown_status":
    case "unknown_provider": case "integrity_failed": case "invalid_keys":
      return error.code;
    default:
      return error.code satisfies never;
  }
}
codeOf(new ThreeDsError("invalid_keys", "made by the caller")) satisfies ThreeDsErrorCode | "other";
// @ts-expect-error a code that is not one of the package's
new ThreeDsError("nope", "x");
`;

// What the package must not export: the glue's init functions stay inside it.
const notExported = `// @ts-expect-error not part of the API
import { initSync } from "threeds-kit";
// @ts-expect-error not part of the API
import { initSync as fullInitSync } from "threeds-kit/full";
// @ts-expect-error not part of the API
import init from "threeds-kit";
// @ts-expect-error not part of the API
import type { InitOutput } from "threeds-kit";
export { initSync, fullInitSync, init };
export type { InitOutput };
`;

const browserBuild = `// @ts-expect-error the browser build has no decoders: they are in "threeds-kit/full"
import { decodeCres } from "threeds-kit";
// @ts-expect-error nor return parsers
import { parseReturnRequest } from "threeds-kit";
export { decodeCres, parseReturnRequest };
`;

const resolutions = {
  bundler: { module: "esnext", moduleResolution: "bundler" },
  node16: { module: "node16", moduleResolution: "node16" },
  nodenext: { module: "nodenext", moduleResolution: "nodenext" },
};

for (const [name, options] of Object.entries(resolutions)) {
  test(`tsc --strict, skipLibCheck false, moduleResolution ${name}: every export and every README block`, () => {
    const dir = `${appDir}/types-${name}`;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const files = { "consumer.ts": consumer, "not-exported.ts": notExported };
    // Under bundler resolution (browsers), "threeds-kit" is the browser build, and its types say so.
    if (name === "bundler") files["browser-build.ts"] = browserBuild;
    readmeBlocks.forEach(({ lang, code }, i) => (files[`readme-${i + 1}.${lang}`] = code));
    for (const [file, text] of Object.entries(files)) writeFileSync(`${dir}/${file}`, text);
    const compilerOptions = {
      ...options,
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      allowJs: true,
      checkJs: true,
      target: "es2022",
      lib: ["es2022", "dom", "dom.iterable"],
      types: ["node"],
      noUnusedLocals: false,
    };
    writeFileSync(`${dir}/tsconfig.json`, JSON.stringify({ compilerOptions, include: ["*.ts", "*.js"] }, null, 2));
    try {
      execFileSync(tsc, ["-p", dir], { encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      assert.fail(`tsc failed under moduleResolution ${name}:\n${error.stdout}${error.stderr}`);
    }
  });
}

test("the README has code blocks to check, and a checked block cannot fail silently", () => {
  assert.ok(readmeBlocks.length >= 8, `only ${readmeBlocks.length} README blocks found`);
  const dir = `${appDir}/types-canary`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(`${dir}/canary.js`, `import { nextAction } from "threeds-kit";\nnextAction("nobody", {});\n`);
  writeFileSync(`${dir}/tsconfig.json`, JSON.stringify({ compilerOptions: { ...resolutions.bundler, strict: true, noEmit: true, allowJs: true, checkJs: true, types: [] }, include: ["*.js"] }));
  assert.throws(() => execFileSync(tsc, ["-p", dir], { stdio: "pipe" }), "a provider name outside ProviderName fails to type-check in a README-style JS block");
});

test("the declarations: exactly the runtime exports, and no `any`", () => {
  const values = [...declarations.matchAll(/^export (?:declare )?(?:function|class) (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual(values.sort(), [...PUBLIC_EXPORTS].sort());
  const code = declarations.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  assert.deepEqual(code.match(/.*\bany\b.*/g) ?? [], [], "no `any` in the public types");
});
