// The runner's small parts with hand-checked values: text scores, Retry-After, the judge's reply,
// the progress line, the dataset reader's messages and the evaluators file's pointers.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readDataset } from "../../src/offline/dataset.ts";
import { judgePrompt, parseJudge, toScore } from "../../src/offline/evaluators.ts";
import { chatRequest, retryAfterMs } from "../../src/offline/model-call.ts";
import { progressLine } from "../../src/offline/progress.ts";
import { readEvaluators } from "../../src/offline/spec.ts";
import { editDistance, editSimilarity, tokenF1 } from "../../src/offline/text-metrics.ts";
import { canonical, contentHash } from "../../src/offline/cache.ts";

const dir = mkdtempSync(join(tmpdir(), "edgeflag-offline-units-"));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe("text scores", () => {
  test("token F1 counts shared tokens with multiplicity", () => {
    expect(tokenF1("the cat sat", "a cat sat down")).toBeCloseTo((2 * (2 / 3) * (2 / 4)) / (2 / 3 + 2 / 4), 15);
    expect(tokenF1("a a b", "a b b")).toBeCloseTo(2 / 3, 15);
    expect([tokenF1("", ""), tokenF1("x", ""), tokenF1("Paris!", "paris")]).toEqual([1, 0, 1]);
  });
  test("edit distance over code points", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("😀a", "a")).toBe(1);
    expect(editSimilarity("kitten", "sitting")).toBeCloseTo(1 - 3 / 7, 15);
    expect(editSimilarity("", "")).toBe(1);
  });
});

describe("model calls and judges", () => {
  test("Retry-After: seconds or an HTTP date", () => {
    expect(retryAfterMs("2", 0)).toBe(2000);
    expect(retryAfterMs("Thu, 01 Jan 1970 00:00:05 GMT", 1000)).toBe(4000);
    expect([retryAfterMs(null, 0), retryAfterMs("soon", 0)]).toEqual([undefined, undefined]);
  });
  test("the chat request of an input", () => {
    expect(chatRequest("hi", { lang: "fr", n: 3 })).toEqual({ model: "offline", stream: false, metadata: { lang: "fr" }, messages: [{ role: "user", content: "hi" }] });
    expect(chatRequest({ messages: [{ role: "user", content: "x" }], stream: true }, {}).stream).toBe(false);
    expect(chatRequest({ q: 1 }, {}).messages).toEqual([{ role: "user", content: '{"q":1}' }]);
  });
  test("the judge's reply: a score clamped to [0, 1] and its reasoning, or why there is none", () => {
    expect(parseJudge('Sure. {"score": 0.8, "reasoning": "close"}')).toEqual({ value: 0.8, reasoning: "close" });
    expect(parseJudge('{"score": 7}')).toEqual({ value: 1 });
    expect(parseJudge("no idea").value).toBeNull();
    expect(judgePrompt("R", { input: "a\nb", output: "o", metadata: {}, latencyMs: 1 })).toBe("Rubric: R\nInput: a b\nExpected: \nOutput: o");
  });
  test("a module's answer as a score", () => {
    expect([toScore(0.5), toScore(true), toScore("good"), toScore({ assessment: "fail", reasoning: "r" }), toScore(undefined)]).toEqual([{ value: 0.5 }, { value: true }, { value: "good" }, { value: false, reasoning: "r" }, { value: null }]);
  });
});

describe("files", () => {
  test("a dataset with no valid record is an error naming the first bad line", () => {
    expect(() => readDataset(file("none.jsonl", "\n{}\n"))).toThrow(/has no valid record \(1 malformed line, first at line 2: \/input is required\)/);
    expect(readDataset(file("ok.jsonl", '{"input": "x", "id": 7}\n')).records).toEqual([{ id: "7", line: 1, input: "x", metadata: {} }]);
  });
  test.each([
    [{ evaluators: [] }, "/evaluators: must be a non-empty array"],
    [{ evaluators: [{ type: "bleu" }] }, "/evaluators/0/type: must be one of"],
    [{ evaluators: [{ type: "llm-judge", model: { provider: "openai" } }] }, "/evaluators/0/rubric: is required"],
    [{ evaluators: [{ type: "contains" }, { type: "contains" }] }, '/evaluators/1/name: "contains" is used twice'],
    [{ evaluators: [{ type: "latency" }], summary: [{ type: "module" }] }, "/summary/0/path: is required"],
  ])("evaluators file %j → %s", async (doc, message) => {
    await expect(readEvaluators(file(`e${Math.random()}.json`, JSON.stringify(doc)))).rejects.toThrow(message);
  });
  test("the progress line", () => {
    expect(progressLine(10, 40, 4, 1, 3000)).toBe("[######------------------] 10/40 cells, 4 cached, 1 failed ETA 15s");
    expect(progressLine(40, 40, 0, 0, 9000)).toBe("[########################] 40/40 cells, 0 cached, 0 failed");
  });
  test("cache keys: canonical JSON, so key order does not change a hash", () => {
    expect(canonical({ b: 1, a: [true, null] })).toBe('{"a":[true,null],"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });
});
