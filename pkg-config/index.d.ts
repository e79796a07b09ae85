// The hand-written part of the package's types, appended to the declarations wasm-bindgen writes from
// src/boundary/ (scripts/assemble-pkg.mjs appends it to browser.d.ts and index.d.ts).

/**
 * Every error this package throws or rejects with: a real `Error` named "ThreeDsError" with a stable `code`
 * and a message that names the field. Errors from every entry and every runtime are instances of it.
 */
export declare class ThreeDsError extends Error {
  constructor(code: ThreeDsErrorCode, message: string);
  name: "ThreeDsError";
  /** What kind of failure, for programs; the message is for people. */
  code: ThreeDsErrorCode;
}
