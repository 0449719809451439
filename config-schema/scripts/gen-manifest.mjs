// Writes config-schema/vectors/manifest.json: the list of vector files every runtime replays
// (runtimes without a file system, such as workerd and Chromium, cannot list a folder).
import { readdir, writeFile } from "node:fs/promises";

const root = new URL("../vectors/", import.meta.url);

export async function listVectorFiles() {
  const inFolder = async (dir) => (await readdir(new URL(dir + "/", root))).filter((f) => f.endsWith(".json")).sort().map((f) => `${dir}/${f}`);
  return ["hash.json", "evaluation.json", "signatures.json", ...(await inFolder("valid")), ...(await inFolder("invalid"))];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = await listVectorFiles();
  await writeFile(new URL("manifest.json", root), JSON.stringify({ files }, null, 2) + "\n");
  console.log(`wrote config-schema/vectors/manifest.json: ${files.length} files`);
}
