/**
 * What `experiment run` prints (a scores table and the comparisons) and what it posts to the
 * Worker's admin API (the results without the per-cell detail).
 *
 * @module
 */
import { AdminClient } from "../admin.ts";
import { print } from "../io.ts";
import { table } from "../table.ts";
import { diff, num, pval } from "./format.ts";
import type { OfflineResults } from "./results.ts";

/**
 * The results as the Worker stores them: everything but the cells and the records' metadata.
 *
 * @example
 * const body = postedResults(results); // { format, flag, aggregates, comparisons, gate, … }
 */
export function postedResults(r: OfflineResults): Omit<OfflineResults, "cells" | "records"> {
  const { cells: _cells, records: _records, ...rest } = r;
  return rest;
}

/** Posts to POST /v1/admin/offline/:env/:flag and prints where it went. */
export async function postResults(r: OfflineResults, where: { env: string; url?: string; token?: string; local: boolean }): Promise<void> {
  const api = AdminClient.connect(where, "--post sends the results to the Worker");
  const saved = await api.postOffline(where.env, r.flag, postedResults(r));
  print(`posted as offline run ${saved.id} of ${r.flag} in ${where.env}`);
}

/** The terminal summary: each variant's scores, then each comparison and the gate. */
export function printSummary(r: OfflineResults): void {
  table(["evaluator", ...r.variants.map((v) => (v === r.control ? `${v} (control)` : v))], r.evaluators.map((e, i) => [e.name, ...r.variants.map((v) => num(r.aggregates[v]![i]!.value))]));
  for (const c of r.comparisons) {
    print("");
    table(["vs " + c.control, "evaluator", "difference [CI]", "test", "p (Holm)", "win/tie/loss"], c.evaluators.map((e) => [c.variant, e.evaluator, diff(e.difference), e.primary.test, pval(e.holmPValue), `${e.wins}/${e.ties}/${e.losses}`]));
  }
  if (r.gate) {
    print("");
    for (const c of r.gate.checks) print(`${c.pass ? "pass" : "FAIL"}  ${c.variant} ${c.metric}: ${diff(c.difference)} — ${c.reason}`);
    print(r.gate.pass ? "gate passed" : "gate FAILED: a regression beyond the margin is not ruled out");
  }
}
