// What the mock LLM upstream (mock-llm.ts) answers, in OpenAI's chat completions and Anthropic's
// messages wire formats: whole answers and their stream events, per scenario. The numbers are
// fixed so tests can assert exact usage and cost.

/** The answer text of every scenario but `tools`, sent in these pieces when streaming. */
export const MOCK_PIECES = ["Hello", " from", " the", " mock", " upstream."];
export const MOCK_ANSWER = MOCK_PIECES.join("");
const TOOL = { id: "call_mock", name: "get_weather", pieces: ['{"city":', '"Paris"}'] };

/** Usage per scenario (the rest use `normal`), in each wire format's own counting. */
export const OPENAI_USAGE: Record<string, { prompt: number; cached: number; completion: number; reasoning: number }> = {
  normal: { prompt: 25, cached: 0, completion: 7, reasoning: 0 },
  cached: { prompt: 1200, cached: 1000, completion: 50, reasoning: 0 },
  reasoning: { prompt: 25, cached: 0, completion: 300, reasoning: 256 },
  tools: { prompt: 60, cached: 0, completion: 15, reasoning: 0 },
};
export const ANTHROPIC_USAGE: Record<string, { input: number; cacheRead: number; cacheWrite: number; output: number }> = {
  normal: { input: 25, cacheRead: 0, cacheWrite: 0, output: 7 },
  cached: { input: 200, cacheRead: 1000, cacheWrite: 300, output: 50 },
  tools: { input: 60, cacheRead: 0, cacheWrite: 0, output: 15 },
};

const CREATED = 1_700_000_000;

export function openAIUsage(scenario: string) {
  const u = OPENAI_USAGE[scenario] ?? OPENAI_USAGE.normal!;
  return {
    prompt_tokens: u.prompt,
    completion_tokens: u.completion,
    total_tokens: u.prompt + u.completion,
    prompt_tokens_details: { cached_tokens: u.cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export function openAICompletion(scenario: string, model: string, content: string = MOCK_ANSWER) {
  const tools = scenario === "tools";
  const message = tools
    ? { role: "assistant", content: null, refusal: null, tool_calls: [{ id: TOOL.id, type: "function", function: { name: TOOL.name, arguments: TOOL.pieces.join("") } }] }
    : { role: "assistant", content, refusal: null };
  const finish = tools ? "tool_calls" : "stop";
  return { id: "chatcmpl-mock", object: "chat.completion", created: CREATED, model, choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage: openAIUsage(scenario) };
}

/** The data payloads of an OpenAI stream (with `[DONE]`); `includeUsage` as the request asked. */
export function openAIStream(scenario: string, model: string, includeUsage: boolean): string[] {
  const usageField = includeUsage && scenario !== "usage-in-finish" ? { usage: null } : {};
  const chunk = (delta: object, finish: string | null = null, extra: object = usageField) =>
    JSON.stringify({ id: "chatcmpl-mock", object: "chat.completion.chunk", created: CREATED, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra });
  const tools = scenario === "tools";
  const body = tools
    ? [
        chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: TOOL.id, type: "function", function: { name: TOOL.name, arguments: "" } }] }),
        ...TOOL.pieces.map((p) => chunk({ tool_calls: [{ index: 0, function: { arguments: p } }] })),
      ]
    : [chunk({ role: "assistant", content: "", refusal: null }), ...MOCK_PIECES.map((p) => chunk({ content: p }))];
  if (scenario === "no-finish") return [...body, "[DONE]"];
  const finish = tools ? "tool_calls" : "stop";
  if (scenario === "usage-in-finish") return [...body, chunk({}, finish, { usage: openAIUsage("normal") }), "[DONE]"];
  if (scenario === "no-usage" || !includeUsage) return [...body, chunk({}, finish), "[DONE]"];
  const usage = JSON.stringify({ id: "chatcmpl-mock", object: "chat.completion.chunk", created: CREATED, model, choices: [], usage: openAIUsage(scenario) });
  return [...body, chunk({}, finish), usage, "[DONE]"];
}

function anthropicUsage(scenario: string, output: number) {
  const u = ANTHROPIC_USAGE[scenario] ?? ANTHROPIC_USAGE.normal!;
  return { input_tokens: u.input, cache_creation_input_tokens: u.cacheWrite, cache_read_input_tokens: u.cacheRead, output_tokens: output };
}
const anthropicOutput = (scenario: string) => (ANTHROPIC_USAGE[scenario] ?? ANTHROPIC_USAGE.normal!).output;

export function anthropicMessage(scenario: string, model: string, answer: string = MOCK_ANSWER) {
  const tools = scenario === "tools";
  const content = tools
    ? [{ type: "text", text: "Checking." }, { type: "tool_use", id: "toolu_mock", name: TOOL.name, input: { city: "Paris" } }]
    : [{ type: "text", text: answer }];
  const stop = tools ? "tool_use" : "end_turn";
  return { id: "msg_mock", type: "message", role: "assistant", model, content, stop_reason: stop, stop_sequence: null, usage: anthropicUsage(scenario, anthropicOutput(scenario)) };
}

/** The [event, data] pairs of an Anthropic stream; `deltas` sends several cumulative message_deltas. */
export function anthropicStream(scenario: string, model: string): [string, object][] {
  const tools = scenario === "tools";
  const output = anthropicOutput(scenario);
  const start: [string, object] = ["message_start", { type: "message_start", message: { id: "msg_mock", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: anthropicUsage(scenario, 1) } }];
  const text = (index: number, pieces: string[]): [string, object][] => [
    ["content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } }],
    ["ping", { type: "ping" }],
    ...pieces.map((p): [string, object] => ["content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: p } }]),
    ["content_block_stop", { type: "content_block_stop", index }],
  ];
  const blocks = tools
    ? [
        ...text(0, ["Checking."]),
        ["content_block_start", { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_mock", name: TOOL.name, input: {} } }] as [string, object],
        ...TOOL.pieces.map((p): [string, object] => ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: p } }]),
        ["content_block_stop", { type: "content_block_stop", index: 1 }] as [string, object],
      ]
    : text(0, MOCK_PIECES);
  const delta = (out: number, stop: string | null): [string, object] => ["message_delta", { type: "message_delta", delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: out } }];
  const deltas = scenario === "deltas" ? [delta(3, null), ["ping", { type: "ping" }] as [string, object], delta(5, null), delta(output, "end_turn")] : [delta(output, tools ? "tool_use" : "end_turn")];
  if (scenario === "no-finish") return [start, ...blocks, ["message_stop", { type: "message_stop" }]];
  return [start, ...blocks, ...deltas, ["message_stop", { type: "message_stop" }]];
}

/** An error body in the wire format's shape; the message echoes the key, to prove it is hidden. */
export function errorBody(wire: "openai" | "anthropic", status: number, key: string): object {
  const message = `mock upstream error ${status} for key ${key}`;
  if (wire === "anthropic") return { type: "error", error: { type: status === 429 ? "rate_limit_error" : status >= 500 ? "api_error" : "invalid_request_error", message } };
  return { error: { message, type: status === 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error", param: null, code: status === 401 ? "invalid_api_key" : null } };
}
