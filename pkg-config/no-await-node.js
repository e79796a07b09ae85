// "threeds-kit/no-await" in Node (server rendering of a page that uses it): the full build, ready on import.
export * from "./node.js";
export const ready = Promise.resolve();
