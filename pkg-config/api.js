// The package's public API, exactly: the functions of the wasm module and the error class. The entries
// (browser.js, node.js, workerd.js) instantiate the module and re-export this list; the glue's own init
// functions stay inside the package.
export {
  challengeWindowSize,
  collectBrowserInfo,
  decodeCreq,
  decodeCres,
  decodeMethodData,
  decodeMethodNotification,
  decodeSessionData,
  encodeCreq,
  encodeMethodData,
  encodeSessionData,
  inspectPayload,
  interpretVresultCode,
  liabilityShift,
  nextAction,
  notifyParent,
  parseReturn,
  parseReturnRequest,
  perform,
  respondToNotification,
  runChallenge,
  runMethod,
  serverBrowserInfo,
  verifyAcquiredRedirect,
  verifyAcquiredWebhook,
  verifyIngenicoReturnMac,
  verifyVeritransPush,
  verifyVeritransRedirect,
} from "./threeds_kit.js";
export { ThreeDsError } from "./error.js";
