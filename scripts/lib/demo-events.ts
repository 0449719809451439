// The made-up traffic of npm start's demo (scripts/lib/demo-traffic.ts posts it): for one subject
// on one day, the events a real client of examples/demo-config.json would send. Assignments come
// from the SDK core's `evaluate` on the signed config, so the Worker's exposure check accepts
// them; the rest (latency, tokens, cost, thumbs…) is drawn from a seeded generator with a
// profile per variant, so the dashboard has differences to show.
import { evaluate, type CompiledConfig } from "../../sdk-js/src/core/index.ts";
import { seededUniform } from "../../analysis/src/index.ts";

/**
 * A seeded generator (mulberry32, the statistics' own): the same seed gives the same demo.
 *
 * @example
 * const rand = random(7); rand() // a number in [0, 1)
 */
export const random: (seed: number) => () => number = seededUniform;

/** How a variant behaves in the demo. */
interface Profile {
  model: string;
  provider: "openai-compatible" | "fixed";
  latency: [number, number];
  ttft: [number, number];
  tokens: [number, number];
  /** USD per input and per output token. */
  price: [number, number];
  error: number;
  fallback: number;
  truncated: number;
  thumbsUp: number;
  success: number;
  regenerated: number;
}

const base = { error: 0.01, fallback: 0, truncated: 0.01, success: 0.7, regenerated: 0.12 };
/** Each demo variant's behaviour: the larger models answer better, slower and dearer; the fixed answer fast and worse. */
export const PROFILES: Record<string, Profile> = {
  "gpt-35": { ...base, model: "gpt-3.5-turbo", provider: "openai-compatible", latency: [900, 250], ttft: [280, 80], tokens: [450, 180], price: [0.5e-6, 1.5e-6], error: 0.015, truncated: 0.02, thumbsUp: 0.6 },
  "gpt-4": { ...base, model: "gpt-4", provider: "openai-compatible", latency: [1900, 500], ttft: [650, 150], tokens: [450, 260], price: [30e-6, 60e-6], fallback: 0.04, thumbsUp: 0.76, success: 0.8, regenerated: 0.06 },
  "fixed-answer": { ...base, model: "fixed", provider: "fixed", latency: [6, 2], ttft: [6, 2], tokens: [0, 0], price: [0, 0], error: 0, truncated: 0, thumbsUp: 0.3, success: 0.4, regenerated: 0.35 },
  small: { ...base, model: "gpt-4o-mini", provider: "openai-compatible", latency: [700, 150], ttft: [220, 50], tokens: [900, 120], price: [0.15e-6, 0.6e-6], thumbsUp: 0.6 },
  large: { ...base, model: "gpt-4o", provider: "openai-compatible", latency: [950, 200], ttft: [330, 70], tokens: [900, 140], price: [2.5e-6, 10e-6], error: 0.012, thumbsUp: 0.7 },
};

/** What every event of the demo carries besides its own fields. */
export interface DemoContext {
  env: string;
  version: number;
  kid: string | undefined;
  compiled: CompiledConfig;
}

type Event = Record<string, unknown>;

/**
 * The events of one subject of one flag, starting at `ts`: an exposure, one to three calls, and
 * sometimes thumbs, an outcome, "copied" or "regenerated". Empty when the subject's evaluation
 * logs no exposure (outside the allocation's traffic).
 *
 * @example
 * subjectEvents(ctx, "chat-model", "demo-user-17", Date.now() - 86_400_000, random(17))
 */
export function subjectEvents(ctx: DemoContext, flag: string, subject: string, ts: number, rand: () => number): Event[] {
  const r = evaluate(ctx.compiled, flag, { subject });
  if (!r.log || r.variant === null || r.allocation === null) return [];
  const p = PROFILES[r.variant]!;
  const normal = (mean: number, sd: number) => Math.max(1, Math.round(mean + sd * (rand() + rand() + rand() - 1.5) * 2));
  const assignmentId = crypto.randomUUID();
  const head = (type: string, at: number) => ({ id: crypto.randomUUID(), type, env: ctx.env, ts: at, subject });
  const of = { flag, variant: r.variant, assignmentId };
  const events: Event[] = [{ ...head("exposure", ts), flag, allocation: r.allocation, variant: r.variant, version: ctx.version, ...(ctx.kid ? { kid: ctx.kid } : {}), assignmentId }];
  const calls = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < calls; i++) {
    const fallback = rand() < p.fallback;
    const error = rand() < p.error;
    const [input, output] = p.tokens[0] === 0 ? [0, 0] : [normal(p.tokens[0], p.tokens[0] / 4), normal(p.tokens[1], p.tokens[1] / 3)];
    events.push({
      ...head("execution", ts + 1000 + i * 60_000),
      ...of,
      model: fallback ? PROFILES["gpt-35"]!.model : p.model,
      provider: p.provider,
      latencyMs: normal(p.latency[0], p.latency[1]),
      ttftMs: normal(p.ttft[0], p.ttft[1]),
      inputTokens: input,
      outputTokens: output,
      cost: Number((input * p.price[0] + output * p.price[1]).toFixed(8)),
      usageSource: "provider",
      stream: true,
      truncated: rand() < p.truncated,
      ...(fallback ? { fallback: true, servedVariant: "gpt-35" } : {}),
      ...(error ? { error: "upstream 503" } : {}),
    });
  }
  const later = ts + 5 * 60_000;
  if (rand() < 0.45) events.push({ ...head("feedback", later), ...of, rating: rand() < p.thumbsUp ? "up" : "down" });
  if (rand() < 0.6) events.push({ ...head("outcome", later + 1000), ...of, success: rand() < p.success });
  if (rand() < p.regenerated) events.push({ ...head("custom", later + 2000), ...of, name: "regenerated", value: 1 });
  if (rand() < p.thumbsUp / 3) events.push({ ...head("custom", later + 3000), ...of, name: "copied", value: 1 });
  return events;
}
