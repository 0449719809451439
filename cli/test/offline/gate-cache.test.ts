// The CI gate's exit codes (regression, non-regression, a noisy tie whose raw mean dips), the cell
// cache (a rerun reuses every cell; a run killed mid-way resumes with the cells it finished), and
// the report files, the HTML one opened in Chromium and saved as test-artifacts/offline/report.png.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium } from "../../../scripts/lib/chromium-page.ts";
import { fixture, jsonl, stable, type Fixture } from "./setup.ts";

let f: Fixture;
const items = Array.from({ length: 30 }, (_, i) => ({ id: `i${i}`, input: `item ${i}`, expected: `item ${i}`, metadata: { half: i < 15 ? "first" : "second" } }));
const gateArgs = (config: string, out: string, extra: string[] = []) => [config, "--flag", "answer", "--dataset", "items.jsonl", "--evaluators", "exact-match", "--runs", "3", "--concurrency", "16", "--out", out, "--no-cache", ...extra];

beforeAll(async () => {
  f = await fixture();
  await f.write("items.jsonl", jsonl(items));
  // The baseline: the candidate answers right 80% of the time (seed 3).
  const r = await f.run(gateArgs(await f.config("base.json", { cand: { model: "noisy:3:80" } }), "baseline.json"));
  expect(r.code).toBe(0);
});
afterAll(() => f.mock.close());

describe("the CI gate (non-inferiority against a baseline)", () => {
  const gate = ["--baseline", "baseline.json", "--fail-on-regression", "exact-match:0.2"];
  test("a regression beyond the margin exits 3", async () => {
    const r = await f.run(gateArgs(await f.config("worse.json", { cand: { model: "noisy:4:40" } }), "worse-out.json", [...gate, "--junit", "junit.xml", "--report", "gate.md"]));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("gate FAILED");
    const out = await f.results("worse-out.json");
    expect(out.gate!.checks).toHaveLength(1);
    expect(out.gate!.checks[0]!).toMatchObject({ variant: "cand", metric: "exact-match", pairs: 30, pass: false });
    expect(out.gate!.checks[0]!.difference.estimate).toBeCloseTo(-0.4, 12);
    const junit = readFileSync(f.file("junit.xml"), "utf8");
    expect(junit).toContain('tests="1" failures="1"');
    expect(readFileSync(f.file("gate.md"), "utf8")).toContain("❌ **Gate failed**");
  });
  test("a clear improvement passes (exit 0)", async () => {
    const r = await f.run(gateArgs(await f.config("better.json", { cand: { model: "echo" } }), "better-out.json", gate));
    expect(r.code).toBe(0);
    expect((await f.results("better-out.json")).gate!.pass).toBe(true);
  });
  test("a noisy tie passes although its raw mean dips below the baseline's", async () => {
    const r = await f.run(gateArgs(await f.config("tie.json", { cand: { model: "noisy:8:80" } }), "tie-out.json", gate));
    expect(r.code).toBe(0);
    const check = (await f.results("tie-out.json")).gate!.checks[0]!;
    expect(check.difference.estimate).toBeCloseTo(-1 / 45, 12); // the raw mean is lower…
    expect(check.bound).toBeGreaterThan(-0.2); // …but the interval rules a regression of 0.2 out
    expect(check.pass).toBe(true);
  });
  test("a baseline that shares no variant is refused (exit 1), not passed", async () => {
    const r = await f.run(gateArgs(await f.config("other.json", { other: { model: "echo" } }), "other-out.json", gate));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("baseline.json has none of the variants run here (it has: cand)");
  });
  test("a margin tighter than the noise fails the same tie: not shown to be no worse", async () => {
    const r = await f.run(gateArgs(await f.config("tie2.json", { cand: { model: "noisy:9:80" } }), "tie2-out.json", ["--baseline", "baseline.json", "--fail-on-regression", "exact-match:0.01"]));
    expect((await f.results("tie2-out.json")).gate!.checks[0]!.difference.estimate).toBeGreaterThan(0);
    expect(r.code).toBe(3);
  });
});

describe("the cell cache", () => {
  test("a rerun reuses every cell and gives the same results", async () => {
    const config = await f.config("cached.json", { a: { model: "echo" }, b: { model: "echo", template: "{{input}}?" } });
    const args = [config, "--flag", "answer", "--dataset", "items.jsonl", "--evaluators", "exact-match,similarity", "--runs", "2", "--cache", "cells"];
    const first = await f.run([...args, "--out", "c1.json"]);
    const asked = f.mock.requests.length;
    const second = await f.run([...args, "--out", "c2.json"]);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(f.mock.requests.length).toBe(asked);
    const [r1, r2] = [await f.results("c1.json"), await f.results("c2.json")];
    expect([r1.cache.hits, r2.cache.hits]).toEqual([0, 120]);
    expect(r2.cells.map(({ cached: _, ...c }) => c)).toEqual(r1.cells.map(({ cached: _, ...c }) => c));
    expect(r2.aggregates).toEqual(r1.aggregates);
  });
  test("a run killed mid-way resumes: the finished cells come from the cache and the results are those of an uninterrupted run", async () => {
    const config = await f.config("slow.json", { slow: { model: "slow:120" } });
    const args = ["experiment", "run", config, "--flag", "answer", "--dataset", "items.jsonl", "--evaluators", "exact-match,similarity", "--concurrency", "1", "--cache", "resume", "--wrangler", f.file("wrangler.toml")];
    const child = spawn(process.execPath, [new URL("../../bin/edgeflag.mjs", import.meta.url).pathname, ...args], { cwd: f.dir, stdio: "ignore" });
    const cellsOnDisk = () => readdirSync(join(f.dir, "resume"), { recursive: true }).filter((p) => String(p).endsWith("-0.json")).length;
    const exited = new Promise((r) => child.on("exit", r));
    await expect.poll(() => { try { return cellsOnDisk(); } catch { return 0; } }, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(5);
    child.kill("SIGKILL");
    await exited;
    const finished = cellsOnDisk();
    expect(finished).toBeLessThan(30);
    const resumed = await f.run([...args.slice(2), "--out", "resumed.json"]);
    expect(resumed.code).toBe(0);
    const again = await f.run([...args.slice(2), "--out", "again.json"]);
    const fresh = await f.run([...args.slice(2).filter((a) => a !== "--cache" && a !== "resume"), "--no-cache", "--out", "fresh.json"]);
    const [r, a, u] = [await f.results("resumed.json"), await f.results("again.json"), await f.results("fresh.json")];
    expect(r.cache.hits).toBe(finished);
    expect(r.cells.filter((c) => c.cached)).toHaveLength(finished);
    expect(a.cache.hits).toBe(30);
    expect(a.cells.map(({ cached: _, ...c }) => c)).toEqual(r.cells.map(({ cached: _, ...c }) => c));
    expect(stable(r)).toEqual(stable(u));
  });
});

describe("reports", () => {
  test("Markdown, JUnit and a self-contained HTML page, looked at in Chromium", async () => {
    const config = await f.config("rep.json", { control: { model: "noisy:11:70" }, cand: { model: "noisy:12:85" }, wordy: { model: "echo", template: "The answer is {{input}}" } });
    const r = await f.run([config, "--flag", "answer", "--dataset", "items.jsonl", "--evaluators", "exact-match,token-f1,similarity,latency", "--runs", "3", "--concurrency", "16", "--breakdown", "half", "--no-cache", "--out", "rep.json", "--report", "report.md", "--report", "report.html", "--junit", "rep.xml", "--baseline", "baseline.json", "--fail-on-regression", "exact-match:0.3"]);
    expect(r.code).toBe(0);
    const md = readFileSync(f.file("report.md"), "utf8");
    expect(md).toContain("# Offline experiment: `answer`");
    expect(md).toContain("## `cand` against `control`");
    expect(md).toContain("✅ **Gate passed**");
    expect(md).toContain("### exact-match by `half`");
    const html = readFileSync(f.file("report.html"), "utf8");
    expect(html).not.toMatch(/\b(src|href)=|@import|url\(/);
    expect(html.match(/<svg /g)).toHaveLength(4 + 1); // a plot per metric, one for the gate
    expect(readFileSync(f.file("rep.xml"), "utf8")).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuite name="edgeflag experiment answer" tests="1" failures="0"/);
    expect(html).toContain('class="margin"');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1040, height: 900 } });
      const requests: string[] = [];
      page.on("request", (q) => requests.push(q.url()));
      await page.setContent(html);
      expect(await page.locator("svg circle").count()).toBe(4 * 2 + 1);
      expect(requests).toEqual([]);
      mkdirSync("test-artifacts/offline", { recursive: true });
      await page.screenshot({ path: "test-artifacts/offline/report.png", fullPage: true });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
