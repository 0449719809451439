// edgeflag in a Deno service: pick the chat model per user from a signed config, record each
// (fake) LLM call with its token usage, and send the events before exiting.
//
//   deno run --allow-net examples/deno/main.ts [baseUrl] [env] [jwksUrl]
//
// or EDGEFLAG_BASE_URL / EDGEFLAG_ENV / EDGEFLAG_JWKS_URL (add --allow-env). The defaults fit
// `npm start`. `@edgeflag/sdk` resolves through this repo's npm workspace (package.json).
import { createClient, MemoryStorage } from "@edgeflag/sdk";

/** An environment variable, or undefined when it is unset or not allowed (no --allow-env). */
const fromEnv = (name: string) => {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
};
const baseUrl = Deno.args[0] ?? fromEnv("EDGEFLAG_BASE_URL") ?? "http://127.0.0.1:8787";
const env = Deno.args[1] ?? fromEnv("EDGEFLAG_ENV") ?? "development";
const jwksUrl = Deno.args[2] ?? fromEnv("EDGEFLAG_JWKS_URL") ?? `${baseUrl}/.well-known/jwks.json`;

interface ModelChoice { provider: string; model?: string; answer?: string }
/** What a user gets when no verified config is at hand. */
const FALLBACK: ModelChoice = { provider: "openai", model: "gpt-4o-mini" };

/** Stands in for an LLM call: answers in the shape of OpenAI's chat completions. */
async function chat(model: string, question: string) {
  const content = `(${model} would answer "${question}" here)`;
  return { model, choices: [{ message: { role: "assistant", content } }], usage: { prompt_tokens: question.length, completion_tokens: content.length } };
}

// Deno has a localStorage that outlives the process (one per script); a service keeps its state
// in memory instead, so that one run never inherits another's config floor or queued events.
const client = createClient({ baseUrl, env, jwksUrl, pollIntervalMs: 0, storage: new MemoryStorage() });
const state = await client.ready();
console.log(state.ok ? `config version ${state.version} (env ${env})` : `no verified config from ${baseUrl}: using the fallback`);

for (const subject of ["alice", "bob", "carol", "dave"]) {
  const assignment = client.evaluate<ModelChoice>("chat-model", FALLBACK, { subject });
  const label = `${subject}: ${assignment.variant ?? "fallback"}`;
  if (!assignment.value.model) {
    console.log(`${label} → a fixed answer, no model call`); // the exposure is logged all the same
    continue;
  }
  const started = performance.now();
  const reply = await chat(assignment.value.model, "Where is my order?");
  // Tokens and model come from the response's `usage` and `model`; explicit values would win.
  assignment.record(reply, { latencyMs: Math.round(performance.now() - started) });
  const { prompt_tokens, completion_tokens } = reply.usage;
  console.log(`${label} → ${reply.model} (${prompt_tokens} + ${completion_tokens} tokens)`);
}

await client.flush(); // exposures and execution records, in one batch
client.close();
