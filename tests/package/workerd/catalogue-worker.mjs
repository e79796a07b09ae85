// A worker that runs the catalogue against the package inside workerd and answers with the results.
import * as lib from "threeds-kit";
import { runAll } from "cases.mjs";
import fixtures from "providers.json";

export default {
  async fetch() {
    return Response.json(await runAll(lib, fixtures));
  },
};
