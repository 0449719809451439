// The shared suite in real headless Chromium (launchChromium: Debian's or the npm-shipped one,
// driven by playwright-core): a page on 127.0.0.1 loads the bundled suite and fetches the vector files.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import { launchChromium } from "../../scripts/lib/chromium-page.ts";
import { afterAll } from "vitest";
import { registerResults } from "./register.ts";

const bundle = await build({ entryPoints: [new URL("./browser-entry.ts", import.meta.url).pathname], bundle: true, format: "iife", target: "es2022", write: false });
const vectors = new URL("../../config-schema/vectors/", import.meta.url);
const server = createServer(async (req, res) => {
  const path = req.url ?? "/";
  if (path === "/") return res.end('<!doctype html><meta charset="utf-8"><script src="/suite.js"></script>');
  if (path === "/suite.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(bundle.outputFiles[0]!.text);
  const file = path.startsWith("/vectors/") && !path.includes("..") ? await readFile(new URL(path.slice(9), vectors)).catch(() => null) : null;
  res.writeHead(file ? 200 : 404, { "content-type": "application/json" }).end(file ?? "");
});
await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
const browser = await launchChromium();
afterAll(async () => {
  await browser.close();
  server.close();
});
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
registerResults("chromium", await page.evaluate(() => (globalThis as unknown as { runEdgeflagSuite: () => Promise<never> }).runEdgeflagSuite()));
