// Shared fixtures of the offline-experiment tests: a temp folder, the mock LLM, configs whose
// variants point at it, datasets, and the real `edgeflag` binary.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockLlm, type MockLlm } from "../../../scripts/lib/mock-llm.ts";
import { edgeflag, type Run } from "../helpers.ts";
import type { OfflineResults } from "../../src/offline/results.ts";

export interface Fixture {
  dir: string;
  mock: MockLlm;
  file(name: string): string;
  write(name: string, content: unknown): Promise<string>;
  /** A config whose flag `answer` has these variants (values are model calls at the mock unless given whole). */
  config(name: string, variants: Record<string, Record<string, unknown> | string>, control?: string): Promise<string>;
  run(args: string[], env?: Record<string, string>): Promise<Run>;
  results(name: string): Promise<OfflineResults>;
}

export async function fixture(): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), "edgeflag-offline-"));
  const mock = await startMockLlm();
  const file = (name: string) => join(dir, name);
  const write = async (name: string, content: unknown) => {
    await writeFile(file(name), typeof content === "string" ? content : JSON.stringify(content));
    return file(name);
  };
  return {
    dir,
    mock,
    file,
    write,
    config: (name, variants, control) => {
      const values = Object.fromEntries(Object.entries(variants).map(([k, v]) => [k, { value: typeof v === "string" || "provider" in v ? v : { provider: "openai-compatible", baseUrl: `${mock.url}/v1`, ...v } }]));
      return write(name, { flags: { answer: { enabled: true, variants: values, defaultVariant: control ?? Object.keys(variants)[0]!, allocations: [] } } });
    },
    // An empty wrangler.toml: no ROUTER_UPSTREAMS, so only key-less variants may run.
    run: async (args, env) => {
      if (!args.includes("--wrangler")) args = [...args, "--wrangler", await write("wrangler.toml", 'name = "t"\n')];
      return edgeflag(["experiment", "run", ...args], { cwd: dir, env });
    },
    results: async (name) => JSON.parse(await readFile(file(name), "utf8")) as OfflineResults,
  };
}

/** JSONL of records `{ id, input, expected, metadata }`. */
export const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join("\n") + "\n";

/** The cells of a results file without what differs between two equal runs (timing, cache use). */
export const stable = (r: OfflineResults) => r.cells.map(({ latencyMs: _l, ttftMs: _t, cached: _c, scores, ...rest }) => ({ ...rest, scores: Object.fromEntries(Object.entries(scores).filter(([k]) => k !== "latency")) }));
