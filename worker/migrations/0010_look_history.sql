-- Every sequential look, kept (sequential_looks holds only the latest): the dashboard draws the
-- cumulative lift over time with its always-valid interval from these rows. One row per
-- comparison per cadence slot: a tick that runs twice in a slot keeps the first, as the looks do.
CREATE TABLE look_history (
  env TEXT NOT NULL,
  flag TEXT NOT NULL,
  allocation TEXT NOT NULL,
  control TEXT NOT NULL,
  variant TEXT NOT NULL,
  metric TEXT NOT NULL,
  slot INTEGER NOT NULL,
  at INTEGER NOT NULL,
  looks INTEGER NOT NULL,
  control_value REAL NOT NULL,
  estimate REAL NOT NULL,
  lower REAL NOT NULL,
  upper REAL NOT NULL,
  p_value REAL NOT NULL,
  PRIMARY KEY (env, flag, allocation, control, variant, metric, slot)
) WITHOUT ROWID;
