// safeEvent, the one place that makes an event JSON-safe when it is queued: what it keeps,
// replaces and drops, and the one message it reports per event.
import { expect, test } from "vitest";
import type { EdgeflagEvent } from "../../src/index.ts";
import { MAX_EVENT_BYTES, safeEvent } from "../../src/client/safe-event.ts";

const base = { id: "e-1", env: "test", ts: 1, type: "execution", subject: "s", flag: "f", variant: "a", assignmentId: "x" };
const run = (metadata: unknown) => {
  const heard: string[] = [];
  const out = safeEvent({ ...base, metadata } as unknown as EdgeflagEvent, (m) => heard.push(m));
  return { out: out as (Record<string, unknown> & { metadata?: unknown }) | null, heard };
};

test("valid data passes unchanged and unreported", () => {
  const metadata = { a: [1, "two", true, null, { b: 2 }], when: "2026-01-01" };
  expect(run(metadata)).toEqual({ out: { ...base, metadata }, heard: [] });
});

test("toJSON is honoured (a Date), undefined is left out as JSON.stringify does, NaN and Infinity become null", () => {
  expect(run({ at: new Date(0), gone: undefined, n: NaN, i: -Infinity }).out!.metadata).toEqual({ at: "1970-01-01T00:00:00.000Z", n: null, i: null });
});

test("functions in an array become null (the array keeps its length), and the change is named by path", () => {
  const { out, heard } = run({ list: [1, () => 2, 3] });
  expect(out!.metadata).toEqual({ list: [1, null, 3] });
  expect(heard).toEqual(["execution event e-1: /metadata/list/1 (function)"]);
});

test("an event whose reading throws (a getter) is dropped and said so; a toJSON returning its own object is written once", () => {
  const hostile = Object.defineProperty({}, "boom", { enumerable: true, get: () => { throw new Error("no") } });
  expect(run({ hostile })).toEqual({ out: null, heard: ["execution event e-1: the event dropped: no"] });
  const self = { n: 1, toJSON() { return this } };
  expect(run({ self })).toEqual({ out: { ...base, metadata: { self: { n: 1 } } }, heard: ["execution event e-1: /metadata/self/toJSON (function)"] });
});

test("a shared (not circular) object is kept at both places", () => {
  const shared = { x: 1 };
  expect(run({ a: shared, b: shared }).out!.metadata).toEqual({ a: { x: 1 }, b: { x: 1 } });
});

test("an event still too large without its metadata is dropped, and said so; more than five changes are counted", () => {
  const heard: string[] = [];
  expect(safeEvent({ ...base, error: "é".repeat(MAX_EVENT_BYTES) } as unknown as EdgeflagEvent, (m) => heard.push(m))).toBeNull();
  expect(heard).toEqual([`execution event e-1: the event dropped: over ${MAX_EVENT_BYTES} bytes`]);
  const many = run(Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`f${i}`, () => i])));
  expect(many.heard[0]).toMatch(/\/metadata\/f4 \(function\) \+2$/);
});
