// The one error class of the package. The wasm module constructs it (src/boundary/mod.rs imports this file), and
// every entry exports it, so `error instanceof ThreeDsError` holds in every runtime.
export class ThreeDsError extends Error {
  /**
   * @param {string} code one of the stable codes (ThreeDsErrorCode)
   * @param {string} message what was wrong, naming the field
   */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// On the prototype, as for the built-in errors: `name` is not an own property of each error.
Object.defineProperty(ThreeDsError.prototype, "name", { value: "ThreeDsError", writable: true, configurable: true });
