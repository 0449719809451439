// `edgeflag experiment run` against the real local mock LLM (deterministic `echo`, seeded `noisy`,
// the `grader` judge, `flaky` rate limits): scores, multi-run aggregation, malformed lines,
// retries, task and evaluator modules, summary evaluators, and the ROUTER_UPSTREAMS check.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { noisyAnswer } from "../../../scripts/lib/mock-llm-offline.ts";
import { editSimilarity } from "../../src/offline/text-metrics.ts";
import { fixture, jsonl, type Fixture } from "./setup.ts";

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});
afterAll(() => f.mock.close());

const WORDS = ["Paris", "four", "blue whale", "Jupiter"];
const records = WORDS.map((w, i) => ({ id: `q${i}`, input: w, expected: w, metadata: { topic: i % 2 ? "science" : "geo" } }));
const prices = { input: 1, output: 2 }; // USD per million tokens: the mock's normal usage is 25 in, 7 out

describe("a deterministic run", () => {
  test("every built-in evaluator, the judge, a module and the summaries give exact values", async () => {
    const config = await f.config("det.json", { echo: { model: "echo", prices }, bang: { model: "echo", template: "{{input}}!", prices } });
    await f.write("data.jsonl", jsonl(records));
    await f.write("length.mjs", "export default (input, output) => ({ value: output.length, reasoning: `${output.length} chars` });");
    await f.write("share.mjs", "export default (cells) => cells.filter((c) => c.output.endsWith('!')).length / cells.length;");
    await f.write("evals.json", {
      evaluators: [
        { type: "exact-match" }, { type: "contains" }, { name: "bang-regex", type: "regex", pattern: "!$" }, { type: "json" },
        { type: "token-f1" }, { type: "similarity" }, { type: "latency" }, { type: "cost" },
        { name: "judge", type: "llm-judge", rubric: "Is the answer the expected one?", model: { provider: "openai-compatible", model: "grader", baseUrl: `${f.mock.url}/v1` } },
        { name: "length", type: "module", path: "length.mjs", higherIsBetter: false },
      ],
      summary: [{ type: "error-rate" }, { type: "total-cost" }, { name: "bang-share", type: "module", path: "share.mjs" }],
    });
    const r = await f.run([config, "--flag", "answer", "--dataset", "data.jsonl", "--evaluators", "evals.json", "--runs", "2", "--out", "out.json", "--no-cache"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = await f.results("out.json");
    expect(out.cells).toHaveLength(2 * 4 * 2);
    const value = (variant: string, name: string) => out.aggregates[variant]!.find((a) => a.evaluator === name)!.value;
    expect(["exact-match", "contains", "bang-regex", "json", "token-f1", "similarity", "judge", "cost"].map((n) => value("echo", n))).toEqual([1, 1, 0, 0, 1, 1, 1, 3.9e-5]);
    const similarity = WORDS.reduce((s, w) => s + editSimilarity(w, `${w}!`), 0) / 4;
    expect(["exact-match", "contains", "bang-regex", "json", "token-f1", "judge"].map((n) => value("bang", n))).toEqual([0, 1, 1, 0, 1, 0]);
    expect(value("bang", "similarity")).toBeCloseTo(similarity, 15);
    expect(value("bang", "length")).toBe(WORDS.reduce((s, w) => s + w.length + 1, 0) / 4);
    expect(out.evaluators.find((e) => e.name === "length")).toEqual({ name: "length", type: "module", kind: "numeric", higherIsBetter: false });
    expect(out.cells.find((c) => c.variant === "bang")!.scores.judge).toEqual({ value: 0, reasoning: 'expected "Paris", got "Paris!"' });
    expect(out.summary).toEqual({ echo: { "error-rate": { value: 0 }, "total-cost": { value: 8 * 3.9e-5 }, "bang-share": { value: 0 } }, bang: { "error-rate": { value: 0 }, "total-cost": { value: 8 * 3.9e-5 }, "bang-share": { value: 1 } } });
    const exact = out.comparisons[0]!.evaluators.find((e) => e.evaluator === "exact-match")!;
    expect(exact).toMatchObject({ kind: "boolean", pairs: 4, control: 1, variant: 0, wins: 0, ties: 0, losses: 4, primary: { test: "mcnemar", method: "exact", statistic: 0, pValue: 0.125 } });
    // the judge's prompt carries the rubric and one line per field
    const judged = f.mock.requests.find((q) => q.body.model === "grader")!;
    expect(JSON.stringify(judged.body.messages)).toContain("Rubric: Is the answer the expected one?\\nInput: ");
  });
});

describe("several runs of a noisy model", () => {
  test("per record the mean across runs; per variant the mean of record means; the variance split", async () => {
    const config = await f.config("noisy.json", { echo: { model: "echo" }, noisy: { model: "noisy:7" } });
    await f.write("noisy.jsonl", jsonl(records));
    const r = await f.run([config, "--flag", "answer", "--dataset", "noisy.jsonl", "--evaluators", "exact-match", "--runs", "5", "--concurrency", "8", "--out", "noisy-out.json", "--no-cache"]);
    expect(r.code).toBe(0);
    const out = await f.results("noisy-out.json");
    const byRecord: number[][] = WORDS.map((w) => Array.from({ length: 5 }, (_, k) => (noisyAnswer("7", 70, w, k) === w ? 1 : 0)));
    const means = byRecord.map((xs) => xs.reduce((s, x) => s + x, 0) / 5);
    const grand = means.reduce((s, m) => s + m, 0) / 4;
    const within = byRecord.reduce((s, xs, i) => s + xs.reduce((t, x) => t + (x - means[i]!) ** 2, 0), 0) / (4 * 4);
    const ofMeans = means.reduce((s, m) => s + (m - grand) ** 2, 0) / 3;
    const agg = out.aggregates.noisy![0]!;
    expect(agg.value).toBeCloseTo(grand, 15);
    expect(grand).not.toBe(1); // the draw did add noise
    expect(agg.spread!.withinRecords).toBeCloseTo(within, 15);
    expect(agg.spread!.ofRecordMeans).toBeCloseTo(ofMeans, 15);
    expect(agg.spread!.betweenRecords).toBeCloseTo(Math.max(0, ofMeans - within / 5), 15);
  });
});

describe("malformed lines and failures", () => {
  test("a malformed line is named by its number and the others run", async () => {
    const config = await f.config("m.json", { echo: { model: "echo" } });
    await f.write("bad.jsonl", `${JSON.stringify(records[0])}\n{"id": "x", "input": \n\n{"id": "y"}\n[1]\n${JSON.stringify(records[1])}\n${JSON.stringify({ ...records[2], id: "q0" })}\n`);
    const r = await f.run([config, "--flag", "answer", "--dataset", "bad.jsonl", "--evaluators", "exact-match", "--out", "bad.json", "--no-cache"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("bad.jsonl:2: not JSON");
    expect(r.stderr).toContain("bad.jsonl:4: /input is required (line skipped)");
    expect(r.stderr).toContain("bad.jsonl:5: a line must be a JSON object");
    expect(r.stderr).toContain('bad.jsonl:7: /id "q0" repeats line 1');
    const out = await f.results("bad.json");
    expect(out.dataset.errors.map((e) => e.line)).toEqual([2, 4, 5, 7]);
    expect(out.cells.map((c) => c.record)).toEqual(["q0", "q1"]);
  });
  test("429s are retried (Retry-After honoured) until the call succeeds; a call that keeps failing is a failed cell", async () => {
    const config = await f.config("flaky.json", { ok: { model: "flaky:2" }, down: { model: "flaky:1000" } });
    await f.write("one.jsonl", jsonl(records.slice(0, 1)));
    // Backoff from 20 s: only the upstream's Retry-After: 0 lets this finish within the test's time.
    const t0 = Date.now();
    const r = await f.run([config, "--flag", "answer", "--dataset", "one.jsonl", "--evaluators", "exact-match", "--retries", "2", "--retry-base-ms", "20000", "--out", "flaky-out.json", "--no-cache", "--concurrency", "1"]);
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const out = await f.results("flaky-out.json");
    expect(out.cells.map((c) => [c.variant, c.attempts, c.error ?? null, c.scores["exact-match"]?.value ?? null])).toEqual([
      ["ok", 3, null, true],
      ["down", 3, "429 mock upstream error 429 for key ", null],
    ]);
    expect(r.stderr).toContain("1 cell of 2 failed");
    const none = await f.run([await f.config("down.json", { down: { model: "flaky:1000" } }), "--flag", "answer", "--dataset", "one.jsonl", "--evaluators", "exact-match", "--retries", "0", "--no-cache"]);
    expect(none.code).toBe(4);
  });
});

describe("task modules and the key check", () => {
  test("a task module gets the input and the variant's value", async () => {
    const config = await f.config("task.json", { plain: "{{x}}", shout: "{{x}}!" });
    await f.write("task.mjs", "export default (input, value, ctx) => value.replace('{{x}}', input) + (ctx.run > 0 ? '' : '');");
    const r = await f.run([config, "--flag", "answer", "--dataset", "data.jsonl", "--evaluators", "exact-match", "--task", "task.mjs", "--out", "task-out.json", "--no-cache"]);
    expect(r.code).toBe(0);
    const out = await f.results("task-out.json");
    expect(out.aggregates.plain![0]!.value).toBe(1);
    expect(out.aggregates.shout![0]!.value).toBe(0);
    expect(out.cells[4]!.output).toBe("Paris!");
  });
  test("a key goes only where ROUTER_UPSTREAMS allows it; it comes from the environment", async () => {
    const config = await f.config("keyed.json", { keyed: { model: "echo", apiKeySecret: "MOCK_KEY" } });
    const elsewhere = await f.write("w1.toml", 'name = "t"\n[vars]\nROUTER_UPSTREAMS = { MOCK_KEY = ["https://api.example.com"] }\n');
    const refused = await f.run([config, "--flag", "answer", "--dataset", "one.jsonl", "--evaluators", "exact-match", "--wrangler", elsewhere, "--no-cache"], { MOCK_KEY: "sk-test" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("/flags/answer/variants/keyed/value");
    const here = await f.write("w2.toml", `name = "t"\n[vars]\nROUTER_UPSTREAMS = { MOCK_KEY = ["${f.mock.url}"] }\n`);
    const before = f.mock.requests.length;
    const ok = await f.run([config, "--flag", "answer", "--dataset", "one.jsonl", "--evaluators", "exact-match", "--wrangler", here, "--no-cache"], { MOCK_KEY: "sk-test" });
    expect(ok.code).toBe(0);
    expect(f.mock.requests.slice(before).map((q) => q.headers.authorization)).toEqual(["Bearer sk-test"]);
  });
  test("usage errors exit 1 and name the option", async () => {
    const r = await f.run(["det.json", "--flag", "answer", "--dataset", "data.jsonl", "--evaluators", "exact-match", "--fail-on-regression", "exact-match"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--fail-on-regression "exact-match" must be metric:margin');
    const bad = await f.write("bad-evals.json", { evaluators: [{ type: "regex", pattern: "^(a+)+$" }] });
    const unsafe = await f.run(["det.json", "--flag", "answer", "--dataset", "data.jsonl", "--evaluators", bad, "--no-cache"]);
    expect(unsafe.code).toBe(1);
    expect(unsafe.stderr).toContain("/evaluators/0/pattern: pattern can backtrack catastrophically");
  });
});
