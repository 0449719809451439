// The shared suite inside workerd (@cloudflare/vitest-pool-workers); the vector files are
// bundled as raw text and parsed here.
import { loadVectors } from "./vectors.ts";
import { runSuite } from "./suite.ts";
import { registerResults } from "./register.ts";

const files = import.meta.glob<string>("../../config-schema/vectors/**/*.json", { query: "?raw", import: "default", eager: true });
registerResults("workerd", await runSuite(await loadVectors(async (f) => files[`../../config-schema/vectors/${f}`]!)));
