/** Plain-text tables with aligned columns, and number formatting. */

/** Formats an integer with thousands separators: 1234567 → "1,234,567". */
export function int(n) {
  return Math.round(n).toLocaleString("en-US");
}

/** Fixed decimals. */
export function fixed(n, digits = 1) {
  return n.toFixed(digits);
}

/** Percentage of a part in a whole, e.g. "31.42%". */
export function pct(part, whole, digits = 2) {
  return `${((100 * part) / whole).toFixed(digits)}%`;
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Prints a table: a title line, a header row and rows. Columns listed in `right` (by index) are
 * right-aligned (numbers); the rest are left-aligned.
 */
export function printTable(title, header, rows, { right = [] } = {}) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  const line = (r) =>
    r
      .map((cell, c) => (right.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join("   ")
      .trimEnd();
  console.log(title);
  console.log(line(all[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("   "));
  for (const r of all.slice(1)) console.log(line(r));
}
