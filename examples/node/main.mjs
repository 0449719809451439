// edgeflag in a Node service: pick the chat model per user from a signed config, record each
// (fake) LLM call with its token usage, and send the events before exiting.
//
//   npx node examples/node/main.mjs [baseUrl] [env] [jwksUrl]
//
// or EDGEFLAG_BASE_URL / EDGEFLAG_ENV / EDGEFLAG_JWKS_URL. The defaults fit `npm start`. In this
// repository "@edgeflag/sdk" is the SDK's TypeScript source, which the project's Node 24 (`npx
// node`) runs as it is and a bare Node 20 cannot; in your own app, install the built package
// (README, "Using the SDK before it is on npm") and any Node ≥ 20 runs this file.
import { createClient } from "@edgeflag/sdk";

const [
  baseUrl = process.env.EDGEFLAG_BASE_URL ?? "http://127.0.0.1:8787",
  env = process.env.EDGEFLAG_ENV ?? "development",
  jwksUrl = process.env.EDGEFLAG_JWKS_URL ?? `${baseUrl}/.well-known/jwks.json`,
] = process.argv.slice(2);

/** What a user gets when no verified config is at hand. */
const FALLBACK = { provider: "openai", model: "gpt-4o-mini" };

/** Stands in for an LLM call: answers in the shape of OpenAI's chat completions. */
async function chat(model, question) {
  const content = `(${model} would answer "${question}" here)`;
  return { model, choices: [{ message: { role: "assistant", content } }], usage: { prompt_tokens: question.length, completion_tokens: content.length } };
}

// Servers poll on their own schedule (or not at all): this script reads the config once.
const client = createClient({ baseUrl, env, jwksUrl, pollIntervalMs: 0 });
const state = await client.ready();
console.log(state.ok ? `config version ${state.version} (env ${env})` : `no verified config from ${baseUrl}: using the fallback`);

for (const subject of ["alice", "bob", "carol", "dave"]) {
  const assignment = client.evaluate("chat-model", FALLBACK, { subject });
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
