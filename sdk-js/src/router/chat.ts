/**
 * `POST /v1/chat/completions`: evaluate the flag the request names for its subject (one exposure,
 * deduplicated, through the worker client), call the assigned variant's model, fall back along
 * its chain on a retryable failure before the first byte, answer with the edgeflag headers, and
 * record one execution event when the answer has been passed on. A shadow copy, when the
 * allocation asks for one, runs after the answer.
 *
 * @module
 */
import type { Assignment } from "../client/assignment.ts";
import type { EdgeflagClient } from "../client/types.ts";
import { callModel } from "../llm/index.ts";
import type { AttemptRecord, AttemptResult, CallContext, ChatRequest as ModelRequest } from "../llm/types.ts";
import { openAIError, RouterError } from "./errors.ts";
import { executionOf } from "./execution.ts";
import { readChatRequest, type ChatRequest, type RequestLimits } from "./request.ts";
import { chainOf, type Flag, type Link } from "./variants.ts";

/** What a chat call needs from its router. */
export interface ChatHost {
  env: string;
  client: EdgeflagClient;
  call: CallContext;
  upstreams: Readonly<Record<string, readonly string[]>>;
  limits: RequestLimits & { maxFallbacks: number };
  admit?: (call: { subject: string; flag: string }) => Response | null | Promise<Response | null>;
  /** In [0, 1): the shadow draw. */
  random: () => number;
  /** Hands work that outlives the response to the runtime (ctx.waitUntil). */
  later: (work: Promise<unknown>) => void;
}

/** The flag and its assignment for a request; 404 model_not_found, 400 when its value is not a model call. */
function assign(host: ChatHost, chat: ChatRequest): { flag: Flag; assignment: Assignment; chain: Link[] } {
  // An own key only: `constructor` or `__proto__` must not find Object.prototype's.
  const flags = host.client.config?.flags;
  const flag = flags !== undefined && Object.hasOwn(flags, chat.flag) ? flags[chat.flag] : undefined;
  if (flag === undefined) {
    throw new RouterError(404, { message: `The model \`${chat.flag}\` does not exist: env ${host.env} has no flag of that key`, type: "invalid_request_error", param: "model", code: "model_not_found" });
  }
  const assignment = host.client.evaluate(chat.flag, null, { subject: chat.subject, attributes: chat.attributes });
  const chain = assignment.variant === null ? [] : chainOf(chat.flag, flag, assignment.variant, host.limits.maxFallbacks, host.upstreams);
  if (chain.length === 0) {
    const served = assignment.variant === null ? `no variant (${assignment.reason}${assignment.errorMessage ? `: ${assignment.errorMessage}` : ""})` : `variant "${assignment.variant}", whose value is not a model call`;
    throw new RouterError(400, { message: `flag "${chat.flag}" served ${served}; route only flags whose variants are model calls`, type: "invalid_request_error", param: "model", code: "not_a_model_flag" });
  }
  return { flag, assignment, chain };
}

/** The chain's attempts until one answers or one fails for good. */
async function attempt(host: ChatHost, chain: readonly Link[], body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<{ result: AttemptResult; failed: AttemptRecord[] }> {
  const failed: AttemptRecord[] = [];
  for (let i = 0; ; i++) {
    const { variant, call } = chain[i]!;
    const result = await callModel(call, structuredClone(body) as ModelRequest, host.call, { variant, signal });
    if (result.ok || !result.retryable || i + 1 >= chain.length) return { result, failed };
    failed.push(result.record);
  }
}

/** The edgeflag headers of an answer. */
function headersOf(assignment: Assignment, served: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { "x-edgeflag-variant": assignment.variant!, "x-edgeflag-assignment-id": assignment.assignmentId, "x-edgeflag-config-version": String(assignment.version) };
  if (served !== undefined && served !== assignment.variant) headers["x-edgeflag-served-variant"] = served;
  return headers;
}

/** A shadow copy when the assignment's allocation asks for one and the draw says so. */
function shadow(host: ChatHost, flagKey: string, flag: Flag, assignment: Assignment, chat: ChatRequest): void {
  const allocation = flag.allocations?.find((a) => a.key === assignment.allocation) as { shadow?: { variant: string; rate?: number } } | undefined;
  const s = allocation?.shadow;
  if (s === undefined || host.random() * 10_000 >= (s.rate ?? 10_000)) return;
  let link: Link | undefined;
  try {
    link = chainOf(flagKey, flag, s.variant, 0, host.upstreams)[0];
  } catch {
    return; // the answer's upstream rule: a shadow whose key may not go where it points is not sent (and never fails the answer)
  }
  if (link === undefined) return;
  const { call } = link;
  const run = async () => {
    const result = await callModel(call, structuredClone(chat.body) as ModelRequest, host.call, { variant: s.variant });
    let record: AttemptRecord;
    if (result.ok) {
      await result.response.arrayBuffer().catch(() => undefined); // read to the end: the record settles on it
      record = await result.record;
    } else record = result.record;
    const { metrics, routed } = executionOf([record], s.variant, result.ok, { stream: chat.stream });
    assignment.record(undefined, metrics, { ...routed, shadow: true, variant: s.variant });
    await host.client.flush();
  };
  host.later(run().catch(() => undefined));
}

/**
 * Answers one chat completion request.
 *
 * @example
 * return await chat(host, request);
 */
export async function chat(host: ChatHost, request: Request): Promise<Response> {
  const req = await readChatRequest(request, host.limits);
  const refused = await host.admit?.({ subject: req.subject, flag: req.flag });
  if (refused) return refused;
  const { flag, assignment, chain } = assign(host, req);
  const { result, failed } = await attempt(host, chain, req.body, request.signal);
  const stream = { stream: req.stream };
  const settle = (records: Promise<AttemptRecord[]>, answered: boolean) =>
    host.later(
      records
        .then((all) => {
          const { metrics, routed } = executionOf(all, assignment.variant!, answered, stream);
          assignment.record(undefined, metrics, routed);
        })
        .then(() => host.client.flush())
        .catch(() => undefined),
    );
  shadow(host, req.flag, flag, assignment, req);
  if (!result.ok) {
    settle(Promise.resolve([...failed, result.record]), false);
    const { message, type, code } = result.error;
    return openAIError(result.status, { message, type, code, param: (result.error as { param?: string | null }).param ?? null }, headersOf(assignment, undefined));
  }
  const served = chain[failed.length]!.variant;
  settle(result.record.then((last) => [...failed, last]), true);
  const headers = new Headers(result.response.headers);
  for (const [name, value] of Object.entries(headersOf(assignment, served))) headers.set(name, value);
  return new Response(result.response.body, { status: result.response.status, headers });
}
