/**
 * Human tables: columns padded to their widest cell, each cell passed through `field()`, so a
 * stored value (an actor, a reason, an event name) cannot break out of its row or drive the
 * terminal: a line feed shows as \n, an ESC as \u001b.
 *
 * @module
 */
import { field, print } from "./io.ts";

/**
 * Prints a header row and rows, two spaces between columns, trailing spaces trimmed.
 *
 * @example
 * table(["name", "role"], [["ana", "admin"]]);
 */
export function table(head: string[], rows: string[][]): void {
  const cells = [head, ...rows].map((r) => r.map(field));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  for (const r of cells) print(r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
}
