// Bundled for Chromium by chromium.test.ts: the page fetches the vector files and runs the suite.
import { loadVectors } from "./vectors.ts";
import { runSuite } from "./suite.ts";

(globalThis as { runEdgeflagSuite?: unknown }).runEdgeflagSuite = async () =>
  runSuite(await loadVectors((f) => fetch(`/vectors/${f}`).then((r) => r.text())));
