/**
 * The exit codes of `edgeflag experiment run`, one source for the command, its usage text and
 * the README: 0 done (and the gate passed), 1 a usage or input error, 2 an internal error,
 * 3 the gate failed, 4 no cell succeeded.
 *
 * @module
 */

/** How a run ended, and the exit code of each ending. */
export const EXIT = { done: 0, regression: 3, "no-cell-succeeded": 4 } as const;

export type Outcome = keyof typeof EXIT;
