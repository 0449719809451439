/**
 * The shapes of the API answers the dashboard reads (a subset of each: what it shows).
 *
 * @module
 */
import type { FlagConfig } from "../../config-schema/src/types.gen.ts";
import type { VersionRecord } from "../../config-schema/src/domain/version-record.ts";

export type { FlagConfig, VersionRecord };
export type { Analysis, MetricComparison, GuardrailResult } from "../../analysis/src/index.ts";

/** A signed config's payload. */
export type SignedPayload = FlagConfig & { env: string; version: number; iat: number; exp: number };

/** One flag in `GET /v1/admin/envs`. */
export interface FlagSummary {
  key: string;
  description: string | null;
  enabled: boolean;
  defaultVariant: string;
  variants: string[];
  experiment: boolean;
  allocations: { key: string; rollout: number; log: boolean; ramp: boolean; rules: number }[];
}

/** One env in `GET /v1/admin/envs`. */
export interface EnvSummary {
  env: string;
  version: number | null;
  at: string | null;
  actor: string | null;
  action: string | null;
  reason: string | null;
  demo: boolean;
  flags: FlagSummary[];
}

/** One ramp in `GET /v1/admin/ramps/:env`. */
export interface RampView {
  flag: string;
  allocation: string;
  control: string;
  rollout: number;
  stages: { rollout: number; minDurationMinutes: number; minSubjects?: number }[];
  onThin: string;
  state: { status: string; stage: number; stageStartedAt: string; extended: boolean; updatedAt: string } | null;
  subjects: Record<string, number>;
  srm: { mismatch: boolean; pValue: number } | null;
  guardrails: import("../../analysis/src/index.ts").GuardrailResult[];
  timeline: { at: string; action: string; actor: string; stage: number; rollout: number; version: number | null; reason: string }[];
}

/** `GET /v1/results/:env/:flag/looks`. */
export interface LookHistory {
  sequential: boolean;
  control: string;
  points: { variant: string; metric: string; at: string; looks: number; control: number; estimate: number; lower: number; upper: number; pValue: number }[];
}
