/**
 * The cache of finished cells: one JSON file per (variant content hash, record key, run index),
 * written atomically (temporary file, then rename), so a killed run leaves only whole cells and
 * the next run with the same cache directory resumes where it stopped. Only successful cells are
 * kept; a failed one is tried again.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What the task produced for one cell. */
export interface TaskResult {
  output: unknown;
  latencyMs: number;
  ttftMs?: number;
  cost?: number;
  usage?: { inputTokens: number; outputTokens: number; cachedInputTokens: number };
  attempts: number;
}

/** JSON with object keys sorted, so equal values hash equal. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * A short sha256 of values' canonical JSON.
 *
 * @example
 * contentHash({ provider: "fixed", answer: "hi" }) // 16 hex digits
 */
export function contentHash(...values: unknown[]): string {
  return createHash("sha256").update(values.map(canonical).join("\n")).digest("hex").slice(0, 16);
}

/** A cache directory; `undefined` dir: a cache that never hits and never writes. */
export class CellCache {
  hits = 0;
  readonly dir: string | undefined;
  constructor(dir: string | undefined) {
    this.dir = dir;
  }

  private path(variantHash: string, recordKey: string, run: number): string {
    return join(this.dir!, variantHash, `${recordKey}-${run}.json`);
  }

  /** The cached cell, or undefined. */
  get(variantHash: string, recordKey: string, run: number): TaskResult | undefined {
    if (this.dir === undefined) return undefined;
    try {
      const cell = JSON.parse(readFileSync(this.path(variantHash, recordKey, run), "utf8")) as TaskResult;
      this.hits++;
      return cell;
    } catch {
      return undefined;
    }
  }

  /** Stores a cell: whole or not at all. */
  put(variantHash: string, recordKey: string, run: number, cell: TaskResult): void {
    if (this.dir === undefined) return;
    const file = this.path(variantHash, recordKey, run);
    mkdirSync(join(this.dir, variantHash), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(cell));
    renameSync(temporary, file);
  }
}
