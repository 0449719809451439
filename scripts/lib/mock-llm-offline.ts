// The mock LLM's scenarios for offline experiments (non-streaming OpenAI and Anthropic answers):
//   echo            answers the last user message's text: deterministic
//   noisy:S[:P]     per request, a seeded draw: the echo with probability P% (default 70), else
//                   "noise <n>"; the draw hangs on (S, the text, how many times this text was
//                   asked before under this model), so a fresh server repeats a whole experiment
//   grader          an LLM judge: reads "Expected:" and "Output:" lines and answers
//                   {"score": 1|0, "reasoning": …} (0.5 when no expected answer is given)
//   flaky:N         the first N requests for this model get 429 with Retry-After: 0, then `echo`

/** FNV-1a over UTF-16 code units: a small, stable string hash. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** mulberry32's first output for a seed: a uniform in [0, 1). */
function uniform(seed: number): number {
  let t = (seed + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * What `noisy:S:P` answers to `text` the k-th time (from 0) it is asked; tests compute expected
 * values with it.
 */
export function noisyAnswer(seed: string, percent: number, text: string, k: number): string {
  const u = uniform(hash(`${seed}|${text}|${k}`));
  return u * 100 < percent ? text : `noise ${Math.floor(u * 1000)}`;
}

/** The grader's verdict on a judge prompt. */
export function graderAnswer(prompt: string): string {
  const line = (name: string) => prompt.match(new RegExp(`^${name}: ?(.*)$`, "m"))?.[1]?.trim();
  const expected = line("Expected");
  const output = line("Output") ?? "";
  if (expected === undefined || expected === "") return JSON.stringify({ score: 0.5, reasoning: "no expected answer to compare with" });
  const same = expected.toLowerCase() === output.toLowerCase();
  return JSON.stringify({ score: same ? 1 : 0, reasoning: same ? "the output states the expected answer" : `expected "${expected}", got "${output}"` });
}

/** The text of the last user message of an OpenAI or Anthropic body. */
export function lastUserText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: string; content?: unknown }[]) : [];
  const last = messages.filter((m) => m.role === "user").at(-1);
  if (typeof last?.content === "string") return last.content;
  if (Array.isArray(last?.content)) return (last.content as { text?: string }[]).map((p) => p.text ?? "").join("");
  return "";
}

/** Per-server state of the offline scenarios: how often each (model, text) and each flaky model was asked. */
export function offlineState() {
  const seen = new Map<string, number>();
  return {
    /** The answer text for an offline scenario, or undefined when the scenario is not one of them. */
    answer(scenario: string, arg: string, model: string, body: Record<string, unknown>): string | undefined {
      const text = lastUserText(body);
      if (scenario === "echo" || scenario === "flaky") return text;
      if (scenario === "grader") return graderAnswer(text);
      if (scenario !== "noisy") return undefined;
      const key = `${model}\u0000${text}`;
      const k = seen.get(key) ?? 0;
      seen.set(key, k + 1);
      const [seed = "", percent] = arg.split(":");
      return noisyAnswer(seed, percent === undefined ? 70 : Number(percent), text, k);
    },
    /** True while a `flaky:N` model still has failures to give. */
    failsNow(scenario: string, n: number, model: string): boolean {
      if (scenario !== "flaky") return false;
      const key = `flaky\u0000${model}`;
      const k = seen.get(key) ?? 0;
      seen.set(key, k + 1);
      return k < n;
    },
  };
}
