/**
 * The progress bar of `experiment run` on stderr: done/total, cache hits, errors and the ETA from
 * the rate so far, redrawn at most every 100 ms. Silent when stderr is not a terminal. Hand-rolled
 * because it is one line of output: a dependency would weigh more than this file.
 *
 * @module
 */

/** A progress line; `tick` after each cell, `done` at the end. */
export interface Progress {
  tick(outcome: "ran" | "cached" | "failed"): void;
  done(): void;
}

const WIDTH = 24;

/** "1m05s", "12s": a duration for the ETA. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** The bar's text for a state; exported for its test. */
export function progressLine(done: number, total: number, cached: number, failed: number, elapsedMs: number): string {
  const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
  const ran = done - cached;
  const eta = ran > 0 && done < total ? ` ETA ${duration((elapsedMs / ran) * (total - done))}` : "";
  return `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${done}/${total} cells, ${cached} cached, ${failed} failed${eta}`;
}

/**
 * A progress bar over `total` cells on `stream` (stderr), or a silent one when it is not a TTY.
 *
 * @example
 * const bar = startProgress(120); for (…) bar.tick("ran"); bar.done();
 */
export function startProgress(total: number, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  if (!stream.isTTY) return { tick() {}, done() {} };
  const start = now();
  let done = 0;
  let cached = 0;
  let failed = 0;
  let drawn = 0;
  const draw = () => stream.write(`\r\u001b[2K${progressLine(done, total, cached, failed, now() - start)}`);
  return {
    tick(outcome) {
      done++;
      if (outcome === "cached") cached++;
      if (outcome === "failed") failed++;
      if (now() - drawn >= 100 || done === total) {
        drawn = now();
        draw();
      }
    },
    done() {
      draw();
      stream.write("\n");
    },
  };
}
