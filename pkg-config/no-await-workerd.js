// "threeds-kit/no-await" in Cloudflare workerd: the full build, ready on import.
export * from "./workerd.js";
export const ready = Promise.resolve();
