/**
 * Text similarity scores of the built-in evaluators: SQuAD-style token F1 and a similarity from
 * the Levenshtein distance.
 *
 * @module
 */

/** Lower-cased word tokens: letters and digits in any script. */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Token-overlap F1 (SQuAD): precision and recall of the shared tokens, counted with multiplicity.
 * Both empty: 1; one empty: 0.
 *
 * @example
 * tokenF1("the cat sat", "a cat sat down") // 0.5714…
 */
export function tokenF1(output: string, expected: string): number {
  const a = tokens(output);
  const b = tokens(expected);
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of b) counts.set(t, (counts.get(t) ?? 0) + 1);
  let shared = 0;
  for (const t of a) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      shared++;
      counts.set(t, c - 1);
    }
  }
  if (shared === 0) return 0;
  const precision = shared / a.length;
  const recall = shared / b.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Levenshtein distance over code points, in O(min(m, n)) memory. */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  if (s.length < t.length) return editDistance(b, a);
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[t.length]!;
}

/**
 * 1 − distance / longer length: 1 for equal texts, 0 for nothing in common.
 *
 * @example
 * editSimilarity("kitten", "sitting") // 1 − 3/7
 */
export function editSimilarity(a: string, b: string): number {
  const longer = Math.max([...a].length, [...b].length);
  return longer === 0 ? 1 : 1 - editDistance(a, b) / longer;
}
