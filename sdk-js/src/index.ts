/**
 * edgeflag: feature flags and LLM experiments with signed configs, evaluated locally in
 * browsers, Deno, Workers and Node.
 *
 * @example
 * import { createClient } from "@edgeflag/sdk";
 * const client = createClient({ baseUrl: "https://flags.example.com", env: "production", keys: jwks });
 * const a = client.evaluate("chat-model", { model: "gpt-4o-mini" });
 * client.feedback(a, "up");
 *
 * @module
 */
export { createClient, type EdgeflagClient, type ClientOptions, type ReadyState, type ConfigUpdate, type EvaluateContext } from "./client/client.ts";
export type { ClientError, ClientErrorCode } from "./client/errors.ts";
export { httpConfigSource, type ConfigSource } from "./client/config-source.ts";
export { httpEventSink, type EventSink, type SendResult } from "./client/event-sink.ts";
export type { Assignment } from "./client/assignment.ts";
export type { EdgeflagEvent, ExposureEvent, FeedbackEvent, ExecutionEvent, OutcomeEvent, CustomEvent } from "./client/events.ts";
export type { ExecutionMetrics, RoutedExecution } from "./client/usage.ts";
export { usageOf } from "./client/usage.ts";
export { MemoryStorage, type KeyValueStorage } from "./client/storage.ts";
export { compileConfig, evaluate, bucket, type EvaluationResult, type EvaluationContext, type Reason } from "./core/index.ts";
export { verifySignedConfig, checkConfigShape, ConfigVerificationError, type ConfigErrorCode, type JWK, type JWKSet } from "./signing/light.ts";
