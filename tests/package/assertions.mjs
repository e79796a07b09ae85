// What the catalogues assert with, in every runtime (no Node APIs).

export function fail(message) {
  throw new Error(message);
}
/** JSON with object keys sorted, so that equality ignores key order. */
const canonical = (value) =>
  JSON.stringify(value, (_, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));
export function equal(actual, expected, what) {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) fail(`${what}: expected ${e}, got ${a}`);
}
/** Standard base64 (with padding) of the UTF-8 of `text`. */
export function standardBase64(text) {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
export function throwsThreeDs(fn, code, field, what) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (!error) fail(`${what}: did not throw`);
  if (!(error instanceof Error)) fail(`${what}: threw a non-Error ${String(error)}`);
  if (error.name !== "ThreeDsError") fail(`${what}: error name ${error.name}`);
  if (error.code !== code) fail(`${what}: code ${error.code} (${error.message}), expected ${code}`);
  if (!error.message.includes(field)) fail(`${what}: message ${JSON.stringify(error.message)} does not name ${field}`);
}

/** Like throwsThreeDs, for a promise. */
export async function rejectsThreeDs(promise, code, field, what) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  throwsThreeDs(() => {
    if (error) throw error;
  }, code, field, what);
}

/**
 * What a notification page (respondToNotification's `html`) posts, read without running it: its one script is
 * `window.parent.postMessage(JSON.parse("<JSON as a string literal>"), "<origin>")`, and the literal is JSON too.
 */
export function postedBy(html) {
  const script = html.slice(html.indexOf(">", html.indexOf("<script")) + 1, html.indexOf("</script>"));
  const found = /^window\.parent\.postMessage\(JSON\.parse\(("(?:[^"\\]|\\.)*")\), ("[^"]*")\);$/.exec(script);
  if (!found) fail(`not a notification page's script: ${script.slice(0, 200)}`);
  return { message: JSON.parse(JSON.parse(found[1])), origin: JSON.parse(found[2]) };
}
