/**
 * How numbers, times and values read on the dashboard. One place, so the tests check the page
 * against the API's JSON through the same functions.
 *
 * @module
 */

/**
 * A plain number: thousands grouped from 1,000, at most two decimals from 1, three significant
 * digits below.
 *
 * @example
 * fmt(1234.5) === "1,235"; fmt(12.345) === "12.35"; fmt(6) === "6"; fmt(0.012345) === "0.0123"
 */
export function fmt(x: number): string {
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString("en-US");
  if (a >= 100) return x.toFixed(0);
  if (a >= 1 || a === 0) return String(Number(x.toFixed(2)));
  return Number(x.toPrecision(3)).toString();
}

/**
 * A signed difference.
 *
 * @example
 * signed(0.05) === "+0.05"; signed(-3) === "-3"
 */
export const signed = (x: number): string => (x > 0 ? "+" : "") + fmt(x);

/**
 * A share as a percentage with one decimal.
 *
 * @example
 * pct(0.1234) === "12.3%"
 */
export const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/**
 * A signed share (a relative lift).
 *
 * @example
 * signedPct(-0.05) === "-5.0%"
 */
export const signedPct = (x: number): string => (x > 0 ? "+" : "") + pct(x);

/**
 * A p-value: four decimals, or "< 0.0001".
 *
 * @example
 * pValue(0.03125) === "0.0313"; pValue(1e-7) === "< 0.0001"
 */
export const pValue = (p: number): string => (p < 0.0001 ? "< 0.0001" : p.toFixed(4));

/**
 * US dollars: cents from $1, four significant digits below.
 *
 * @example
 * usd(12.5) === "$12.50"; usd(0.000123) === "$0.000123"
 */
export const usd = (x: number): string => (Math.abs(x) >= 1 ? `$${x.toFixed(2)}` : `$${Number(x.toPrecision(3))}`);

/**
 * Basis points as a percentage.
 *
 * @example
 * bps(2500) === "25%"; bps(1234) === "12.34%"
 */
export const bps = (b: number): string => `${Number((b / 100).toFixed(2))}%`;

/**
 * An ISO time as UTC, to the minute.
 *
 * @example
 * when("2026-12-03T10:15:42.000Z") === "2026-12-03 10:15 UTC"
 */
export const when = (iso: string | null): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "—");

/**
 * A value as short readable text: a model config as provider · model · params, a string quoted,
 * anything else as compact JSON.
 *
 * @example
 * describeValue({ provider: "openai", model: "gpt-4", params: { temperature: 0.3 } }) === "openai · gpt-4 · temperature 0.3"
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return JSON.stringify(value);
  const v = value as Record<string, unknown>;
  if (typeof v.provider === "string") {
    if (v.provider === "fixed") return `fixed answer: ${JSON.stringify(v.answer ?? "")}`;
    const params = Object.entries((v.params as Record<string, unknown>) ?? {}).map(([k, p]) => `${k} ${JSON.stringify(p)}`);
    const extra = [v.baseUrl ? `at ${String(v.baseUrl)}` : null, v.apiKeySecret ? `key ${String(v.apiKeySecret)}` : null, v.fallback ? `falls back to ${String(v.fallback)}` : null];
    return [v.provider, v.model, ...params, ...extra].filter((x) => x !== null && x !== undefined).join(" · ");
  }
  return JSON.stringify(value);
}

const RATES = new Set(["thumbs_up_rate", "feedback_rate", "success_rate", "error_rate", "fallback_rate", "truncation_rate"]);
const COSTS = new Set(["cost_per_call", "cost_per_subject"]);

/**
 * How a metric's values read: shares as percentages, costs in dollars, the rest as numbers.
 *
 * @example
 * formatOf("error_rate")(0.02) === "2.0%"; formatOf("cost_per_call")(0.0021) === "$0.0021"
 */
export const formatOf = (metric: string): ((x: number) => string) => (RATES.has(metric) || metric.endsWith(":rate") ? pct : COSTS.has(metric) ? usd : fmt);

/**
 * How a difference of a metric reads: shares in percentage points, the rest signed in the metric's unit.
 *
 * @example
 * differenceOf("error_rate")(0.012) === "+1.2 pp"; differenceOf("cost_per_call")(-0.002) === "-$0.002"
 */
export function differenceOf(metric: string): (x: number) => string {
  if (formatOf(metric) === pct) return (x) => `${x > 0 ? "+" : ""}${(x * 100).toFixed(1)} pp`;
  const f = formatOf(metric);
  return (x) => (x > 0 ? "+" : x < 0 ? "-" : "") + f(Math.abs(x));
}
