// Repository-wide checks: the type check passes, generated files match their sources.
import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
// @ts-expect-error -- plain .mjs build scripts have no declarations
import { generateEventTypes, generateTypes } from "../config-schema/scripts/gen-types.mjs";
// @ts-expect-error -- plain .mjs build scripts have no declarations
import { generateEventCheck } from "../config-schema/scripts/gen-event-check.mjs";
// @ts-expect-error -- plain .mjs build scripts have no declarations
import { listVectorFiles } from "../config-schema/scripts/gen-manifest.mjs";

const run = promisify(execFile);

describe("repository", () => {
  test.each(["tsconfig.json", "tsconfig.node.json", "worker/tsconfig.json"])("tsc --noEmit -p %s passes (strict)", async (project) => {
    // A missing or crashing tsc fails here too: the exit code is part of the answer.
    const result = await run("node_modules/.bin/tsc", ["--noEmit", "-p", project]).then(
      (r) => ({ code: 0, output: r.stdout }),
      (e) => ({ code: e.code, output: `${e.stdout ?? ""}${e.stderr ?? ""}` || String(e) }),
    );
    expect(result).toEqual({ code: 0, output: "" });
  });

  test("config-schema/src/types.gen.ts is what the schema generates (no drift)", async () => {
    const committed = await readFile("config-schema/src/types.gen.ts", "utf8");
    expect(committed).toBe(await generateTypes());
  });

  test("config-schema/src/event-types.gen.ts is what the event schema generates (no drift)", async () => {
    const committed = await readFile("config-schema/src/event-types.gen.ts", "utf8");
    expect(committed).toBe(await generateEventTypes());
  });

  test("config-schema/generated/event-check.gen.ts is what the event schema compiles to (no drift)", async () => {
    const committed = await readFile("config-schema/generated/event-check.gen.ts", "utf8");
    expect(committed).toBe(await generateEventCheck());
  });

  test("worker/worker-configuration.d.ts is what `npm run cf-typegen` makes of wrangler.toml (no drift)", async () => {
    // Generated beside the real file, so the relative import of the Worker's entry is the same.
    const check = "worker/worker-configuration.check.d.ts";
    try {
      await run("node_modules/.bin/wrangler", ["types", check, "--strict-vars=false", "--env-file", "/dev/null"], { env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
      const fresh = (await readFile(check, "utf8")).replace(check, "worker/worker-configuration.d.ts");
      expect(await readFile("worker/worker-configuration.d.ts", "utf8")).toBe(fresh);
    } finally {
      await rm(check, { force: true });
    }
  }, 60_000);

  test("vectors/manifest.json lists exactly the vector files on disk", async () => {
    const manifest = JSON.parse(await readFile("config-schema/vectors/manifest.json", "utf8"));
    expect(manifest.files).toEqual(await listVectorFiles());
  });

  test("npm run size: every byte budget in sdk-js/size-budget.json and dashboard/size-budget.json holds", async () => {
    const result = await run(process.execPath, ["scripts/size.mjs"]).then(
      (r) => ({ code: 0, output: r.stdout }),
      (e) => ({ code: e.code, output: `${e.stdout ?? ""}${e.stderr ?? ""}` }),
    );
    expect(result.output).not.toContain("OVER");
    expect(result.output).toMatch(/^dashboard app\.js +/m);
    expect(result.code).toBe(0);
  }, 60_000);

  test("the published SDK package (sdk-js/dist) passes publint and arethetypeswrong", async () => {
    const publint = await run("node_modules/.bin/publint", ["sdk-js/dist"]);
    expect(publint.stdout).toContain("All good!");
    const attw = await run("node_modules/.bin/attw", ["--pack", "sdk-js/dist", "--profile", "node16", "--format", "json"]).catch((e) => e);
    const report = JSON.parse(attw.stdout);
    const problems = (report.analysis.problems ?? []).filter((p: { resolutionKind?: string }) => p.resolutionKind !== "node10");
    expect(problems).toEqual([]);
  }, 60_000);
});
