// Shared by the results tests (results.test.ts, looks.test.ts): a two-variant experiment's config,
// events made by hand and seeded straight into D1, and the results request.
import { env } from "cloudflare:test";
import type { FlagConfig } from "@edgeflag/config-schema";
import { RELATIVE_ERROR, type Quantiles } from "@edgeflag/analysis";
import { expect } from "vitest";
import { insertEvents } from "../src/events/store.ts";
import { ADMIN_TOKEN, call } from "./helpers.ts";

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 10, 20, 12);

/** A two-variant model experiment; `experiment` settings vary per test. */
export function config(experiment: Record<string, unknown> = {}, weights: [number, number] = [1, 1]): FlagConfig {
  return {
    flags: {
      model: {
        enabled: true,
        variants: { small: { value: "gpt-4o-mini" }, large: { value: "gpt-4o" } },
        defaultVariant: "small",
        allocations: [{ key: "exp", splits: [{ variant: "small", weight: weights[0] }, { variant: "large", weight: weights[1] }], log: true }],
        experiment,
      },
    },
  };
}

export type Ev = Record<string, unknown>;
let seq = 0;
export function ev(envName: string, subject: string, type: string, fields: Ev, ts = T0 + ++seq): Ev {
  return { id: crypto.randomUUID(), type, env: envName, subject, ts, ...fields };
}
export const exposure = (e: string, subject: string, variant: string, ts?: number) => ev(e, subject, "exposure", { flag: "model", allocation: "exp", variant, version: 1, assignmentId: "x" }, ts);
export const exec = (e: string, subject: string, variant: string, f: Ev) => ev(e, subject, "execution", { flag: "model", variant, assignmentId: "x", ...f });
export const thumbs = (e: string, subject: string, variant: string, rating: "up" | "down") => ev(e, subject, "feedback", { flag: "model", variant, assignmentId: "x", rating });

export async function seed(events: Ev[]): Promise<void> {
  await insertEvents(env.DB, [{ jsonArray: JSON.stringify(events), receivedAt: T0 }]).run();
}

export const results = (e: string, query = "") => call(`/v1/results/${e}/model${query}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });

/** Quantiles read from the results' histograms: each within RELATIVE_ERROR (< 1%) of the exact order statistic, relative to it. */
export function expectQuantiles(actual: Quantiles, exact: { p50: number; p95: number }): void {
  for (const q of ["p50", "p95"] as const) expect(Math.abs(actual[q]! - exact[q]), `${q}: ${actual[q]} vs ${exact[q]}`).toBeLessThanOrEqual(RELATIVE_ERROR * Math.abs(exact[q]));
}
