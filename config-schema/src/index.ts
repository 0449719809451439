/**
 * The edgeflag contracts: the v1 JSON Schemas (configs, events), their generated types (with
 * the list of event types), `validate()`, and the semantic checks the evaluator shares.
 *
 * @module
 */
export type * from "./types.gen.ts";
export { EVENT_TYPES, type EventType, type EdgeflagEvent, type ExposureEvent, type FeedbackEvent, type ExecutionEvent, type OutcomeEvent, type CustomEvent } from "./event-types.gen.ts";
export { validate, SCHEMA_ID, type ValidationResult } from "./validate.ts";
export { checkSemantics } from "./semantic.ts";
export { backtrackingRisk } from "./regex-safety.ts";
export { isModelCall, templateVariables, MAX_FALLBACKS, VARIABLE_NAME, type TemplateVariables } from "./model-call.ts";
export { pointer, formatErrors, type ValidationError } from "./errors.ts";
export { SALT_PATTERN, ENV_PATTERN } from "./patterns.ts";
export { default as schema } from "../schema/flag-config.v1.json" with { type: "json" };
export { validateEvent, EVENT_SCHEMA_ID, type EventValidation, type EventErrorCode, type ClockWindow } from "./validate-event.ts";
export { default as eventSchema } from "../schema/event.v1.json" with { type: "json" };
