// examples/ci/offline-experiment.yml: it parses as YAML, runs on push, its experiment step is the
// command README.md documents, that command passes the gate against the committed baseline
// (exit 0), and the report it writes is what the summary step appends to $GITHUB_STEP_SUMMARY.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { expect, test } from "vitest";

interface Step { run?: string; uses?: string; if?: string; env?: Record<string, string> }
const workflow = load(readFileSync("examples/ci/offline-experiment.yml", "utf8")) as { on: Record<string, unknown>; jobs: Record<string, { steps: Step[] }> };
const steps = workflow.jobs.experiment!.steps;
const experiment = steps.find((s) => s.run?.startsWith("npx edgeflag experiment run"))!;

test("the workflow runs on push, installs, runs the experiment, then always writes the summary", () => {
  expect(Object.keys(workflow.on)).toEqual(["push", "pull_request"]);
  expect(steps.map((s) => s.run ?? s.uses)).toEqual(["actions/checkout@v4", "actions/setup-node@v4", "npm ci", experiment.run, 'cat report.md >> "$GITHUB_STEP_SUMMARY"', "actions/upload-artifact@v4"]);
  expect(steps[4]!.if).toBe("always()");
  expect(experiment.run).toContain("--report report.md");
});

test("its experiment command is the one README.md documents, and it passes the gate", async () => {
  const readme = readFileSync("README.md", "utf8");
  expect(readme).toContain(experiment.run!);
  const dir = mkdtempSync(join(tmpdir(), "edgeflag-ci-"));
  const script = experiment.run!.replace("npx edgeflag", "").replace(/(results\.json|report\.md|junit\.xml)/g, (f) => join(dir, f));
  const code = await new Promise<number>((resolve) =>
    execFile(process.execPath, ["cli/bin/edgeflag.mjs", ...script.trim().split(/\s+/)], (e) => resolve(e ? Number(e.code) : 0)),
  );
  expect(code).toBe(0);
  const report = readFileSync(join(dir, "report.md"), "utf8");
  expect(report).toContain("✅ **Gate passed**");
  expect(readFileSync(join(dir, "junit.xml"), "utf8")).toContain('tests="2" failures="0"');
}, 60_000);
