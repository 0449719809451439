/**
 * Event validation on a 500-event batch (the most POST /v1/events takes): the ajv validator
 * compiled ahead of time (config-schema's generated fast path) against @cfworker/json-schema
 * interpreting the same schema, and validateEvent() as the route calls it. Decides whether the
 * generated validator earns its place (issue 12, item 9).
 */
import { Validator } from "@cfworker/json-schema";
import schema from "../config-schema/schema/event.v1.json" with { type: "json" };
import { validate as generated } from "../config-schema/generated/event-check.gen.ts";
import { validateEvent } from "../config-schema/src/index.ts";
import { fixed, median, printTable } from "./table.mjs";

const BATCH = 500;
const ROUNDS = 41;

/** A realistic batch: a fifth of each event type, every optional field of an execution filled. */
function batch(now) {
  const base = (i, type) => ({ id: crypto.randomUUID(), type, env: "production", ts: now - i, subject: `user-${i}` });
  const of = { flag: "chat-model", variant: "large", assignmentId: "a-1" };
  const make = [
    (i) => ({ ...base(i, "exposure"), flag: "chat-model", allocation: "exp", variant: "large", version: 7, assignmentId: "a-1", attributes: { country: "FR", plan: "pro" } }),
    (i) => ({ ...base(i, "feedback"), ...of, rating: "up", reason: "formatting", comment: "fine" }),
    (i) => ({ ...base(i, "execution"), ...of, model: "gpt-4o", latencyMs: 812, ttftMs: 140, inputTokens: 1200, outputTokens: 300, cost: 0.0042, metadata: { attempt: 1 } }),
    (i) => ({ ...base(i, "outcome"), ...of, success: true }),
    (i) => ({ ...base(i, "custom"), name: "copied", value: 1, flag: "chat-model" }),
  ];
  return Array.from({ length: BATCH }, (_, i) => make[i % make.length](i));
}

/** Median ms per batch of `check` over every event, after a warm-up. */
function time(events, check) {
  const samples = [];
  for (let round = 0; round < ROUNDS + 5; round++) {
    const t = performance.now();
    for (const e of events) if (!check(e)) throw new Error(`refused: ${JSON.stringify(e)}`);
    if (round >= 5) samples.push(performance.now() - t);
  }
  return median(samples);
}

/**
 * Prints the table.
 *
 * @example
 * benchValidators();
 */
export function benchValidators() {
  const now = Date.now();
  const events = batch(now);
  const interpreter = new Validator(schema, "2020-12", false);
  const rows = [
    ["ajv, compiled ahead of time (config-schema/generated/event-check.gen.ts)", (e) => generated(e)],
    ["@cfworker/json-schema, interpreting event.v1.json", (e) => interpreter.validate(e).valid],
    ["validateEvent() as POST /v1/events calls it (fast path + clock window)", (e) => validateEvent(e, { now }).valid],
  ].map(([name, check]) => [name, time(events, check)]);
  printTable(
    `Event validation — one batch of ${BATCH} valid events (all five types), median of ${ROUNDS} rounds`,
    ["validator", "ms / batch", "µs / event", "× ajv"],
    rows.map(([name, ms]) => [name, fixed(ms, 2), fixed((ms * 1000) / BATCH, 2), fixed(ms / rows[0][1], 1)]),
    { right: [1, 2, 3] },
  );
  console.log("");
}
