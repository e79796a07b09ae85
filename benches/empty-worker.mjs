// The cold-start baseline: a worker that imports nothing, so workerd's own start-up can be subtracted.
export default {
  async fetch() {
    return new Response("ok");
  },
};
