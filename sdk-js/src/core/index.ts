/**
 * The pure evaluation core of edgeflag: the bucket (contract 1), config compilation and
 * evaluation (contract 2). No I/O, no globals beyond the language and the two every runtime has
 * (structuredClone, TextEncoder); identical in browsers, Deno, Workers and Node.
 *
 * @example
 * import { compileConfig, evaluate } from "@edgeflag/sdk/core";
 * const compiled = compileConfig(config);
 * evaluate(compiled, "chat-model", { subject: "user-42" }, "gpt-4o-mini").value;
 *
 * @module
 */
export { murmur3, hashSubject, bucket, bucketOfHash, hashPrefix, hashWithPrefix, bucketWithPrefix, type HashPrefix } from "./hash.ts";
export { compileConfig, type CompiledConfig, type CompiledFlag, type CompiledAllocation } from "./compile.ts";
export { evaluate } from "./evaluate.ts";
export { assignedSplit, type SplitAssignment, type UnassignedCode } from "./assigned.ts";
export { parseSemver, compareSemver, type SemVer } from "./semver.ts";
export type { AttributeValue, EvaluationContext, EvaluationResult, Reason, ErrorCode } from "./types.ts";
