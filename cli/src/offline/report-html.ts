/**
 * The HTML report: one self-contained page (inline CSS and SVG, no script, no external fetch) with,
 * per metric, each variant's score and a forest plot of its difference with the control (the
 * paired t interval thick, the bootstrap interval thin, zero), and, with a gate, a plot per gated
 * metric of (run − baseline) against the margin.
 *
 * @module
 */
import type { Interval } from "@edgeflag/analysis";
import { diff, num, pval } from "./format.ts";
import type { OfflineResults } from "./results.ts";

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;" })[c]!);
const W = 640;
const LABEL = 130;
const ROW = 34;

/** One row of a forest plot. */
interface ForestRow {
  label: string;
  difference: Interval;
  bootstrap?: Interval;
  higherIsBetter: boolean;
}

function forest(rows: ForestRow[], margin?: number): string {
  const xs = rows.flatMap((e) => [e.difference.lower, e.difference.upper, ...(e.bootstrap ? [e.bootstrap.lower, e.bootstrap.upper] : []), 0]).filter(Number.isFinite);
  if (margin !== undefined) xs.push(rows[0]!.higherIsBetter ? -margin : margin);
  const span = Math.max(...xs.map(Math.abs), 1e-9) * 1.15;
  const x = (v: number) => LABEL + ((v + span) / (2 * span)) * (W - LABEL - 20);
  const top = margin === undefined ? 0 : 16;
  const h = rows.length * ROW + 30 + top;
  const parts = [`<line x1="${x(0)}" y1="${4 + top}" x2="${x(0)}" y2="${h - 22}" class="zero"/>`, `<text x="${x(0)}" y="${h - 6}" class="axis">0</text>`,
    `<text x="${x(-span)}" y="${h - 6}" class="axis" style="text-anchor:start">${esc(num(-span))}</text>`, `<text x="${x(span)}" y="${h - 6}" class="axis" style="text-anchor:end">${esc(num(span))}</text>`];
  if (margin !== undefined) {
    const m = rows[0]!.higherIsBetter ? -margin : margin;
    parts.push(`<line x1="${x(m)}" y1="${top}" x2="${x(m)}" y2="${h - 22}" class="margin"/><text x="${x(m) + 4}" y="11" class="axis margin-label" style="text-anchor:start">margin ${esc(num(m))}</text>`);
  }
  rows.forEach((e, i) => {
    const y = 18 + top + i * ROW;
    const worse = e.higherIsBetter ? e.difference.upper < 0 : e.difference.lower > 0;
    const better = e.higherIsBetter ? e.difference.lower > 0 : e.difference.upper < 0;
    const tone = better ? "better" : worse ? "worse" : "neutral";
    parts.push(`<text x="${LABEL - 8}" y="${y + 4}" text-anchor="end" class="label">${esc(e.label)}</text>`,
      e.bootstrap ? `<line x1="${x(e.bootstrap.lower)}" y1="${y + 9}" x2="${x(e.bootstrap.upper)}" y2="${y + 9}" class="boot"/>` : "",
      `<line x1="${x(e.difference.lower)}" y1="${y}" x2="${x(e.difference.upper)}" y2="${y}" class="ci ${tone}"/>`,
      `<circle cx="${x(e.difference.estimate)}" cy="${y}" r="5" class="dot ${tone}"><title>${esc(`${e.label}: ${diff(e.difference)}`)}</title></circle>`);
  });
  return `<svg viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="difference with the control and its intervals">${parts.join("")}</svg>`;
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:980px;color:#1d2330;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.meta{color:#5b6475}
table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}th,td{border-bottom:1px solid #e3e6ec;padding:4px 10px;text-align:left}th{background:#f5f7fa}
.metric{border:1px solid #e3e6ec;border-radius:8px;padding:12px 16px;margin:16px 0}.pass{color:#137333;font-weight:600}.fail{color:#b3261e;font-weight:600}
svg .zero{stroke:#8a93a6;stroke-width:1}svg .margin{stroke:#b3261e;stroke-dasharray:4 3}svg .margin-label{fill:#b3261e}svg .axis{font-size:11px;fill:#5b6475;text-anchor:middle}
svg .label{font-size:13px;fill:#1d2330}svg .ci{stroke-width:4;stroke-linecap:round}svg .boot{stroke:#8a93a6;stroke-width:1.5}
svg .better{stroke:#137333;fill:#137333}svg .worse{stroke:#b3261e;fill:#b3261e}svg .neutral{stroke:#3558c9;fill:#3558c9}.legend{color:#5b6475;font-size:12px}`;

function metricSection(r: OfflineResults, index: number): string {
  const info = r.evaluators[index]!;
  const values = `<table><tr>${r.variants.map((v) => `<th>${esc(v)}${v === r.control ? " (control)" : ""}</th>`).join("")}</tr><tr>${r.variants.map((v) => `<td>${esc(num(r.aggregates[v]![index]!.value))}</td>`).join("")}</tr></table>`;
  const rows = r.comparisons.flatMap((c) => c.evaluators.filter((e) => e.evaluator === info.name).map((e) => ({ variant: c.variant, e })));
  if (rows.length === 0) return `<div class="metric"><h2>${esc(info.name)}</h2>${values}</div>`;
  const tests = `<table><tr><th>variant</th><th>difference [CI]</th><th>test</th><th>p (Holm)</th><th>win / tie / loss</th><th>MDE</th></tr>${rows.map(({ variant, e }) => `<tr><td>${esc(variant)}</td><td>${esc(diff(e.difference))}</td><td>${e.primary.test} (${e.primary.method})</td><td>${pval(e.holmPValue)}</td><td>${e.wins} / ${e.ties} / ${e.losses}</td><td>${esc(num(e.minimumDetectableEffect))}</td></tr>`).join("")}</table>`;
  return `<div class="metric"><h2>${esc(info.name)} <span class="legend">(${info.higherIsBetter ? "higher" : "lower"} is better)</span></h2>${values}${forest(rows.map(({ variant, e }) => ({ label: variant, difference: e.difference, bootstrap: e.bootstrap, higherIsBetter: e.higherIsBetter })))}<div class="legend">dot and thick bar: difference with ${esc(r.control)} and its paired t interval; thin bar: paired bootstrap interval</div>${tests}</div>`;
}

function gateSection(r: OfflineResults): string {
  if (!r.gate) return "";
  const verdict = `<p class="${r.gate.pass ? "pass" : "fail"}">${r.gate.pass ? "Gate passed: no regression beyond the margins." : "Gate failed: a regression beyond the margin is not ruled out."} (baseline ${esc(r.gate.baseline)})</p>`;
  const metrics = [...new Set(r.gate.checks.map((c) => c.metric))];
  const plots = metrics.map((m) => {
    const checks = r.gate!.checks.filter((c) => c.metric === m);
    const rows = checks.map((c) => ({ label: c.variant, difference: c.difference, higherIsBetter: c.higherIsBetter }));
    return `<h2>${esc(m)}: run − baseline</h2>${forest(rows, checks[0]!.margin)}<div class="legend">dot and bar: difference with the baseline, paired by record, and its interval; dashed: the margin. The gate fails when the bar crosses it.</div>`;
  });
  return `<div class="metric">${verdict}${plots.join("")}</div>`;
}

/**
 * The report as one HTML page.
 *
 * @example
 * writeFileSync("report.html", htmlReport(results));
 */
export function htmlReport(r: OfflineResults): string {
  const errors = r.dataset.errors.length ? `<h2>Malformed dataset lines</h2><ul>${r.dataset.errors.map((e) => `<li>line ${e.line}: ${esc(e.message)}</li>`).join("")}</ul>` : "";
  const meta = `${r.variants.length} variants × ${r.dataset.records} records × ${r.runs} runs = ${r.cells.length} cells · control ${r.control} · ${r.cache.hits} cached · ${r.cells.filter((c) => c.error).length} failed · ${r.createdAt}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(`Offline experiment: ${r.flag}`)}</title><style>${CSS}</style></head><body><h1>Offline experiment: ${esc(r.flag)}</h1><p class="meta">${esc(meta)}</p>${gateSection(r)}${r.evaluators.map((_, i) => metricSection(r, i)).join("")}${errors}</body></html>\n`;
}
