-- A sequential look compares a variant with one control: results asked with another control
-- (?control=, or a changed experiment.control) must not fold into the same running minimum.
-- The looks kept so far were folded without knowing their control, so they start again.
DROP TABLE sequential_looks;
CREATE TABLE sequential_looks (
  env TEXT NOT NULL,
  flag TEXT NOT NULL,
  allocation TEXT NOT NULL,
  control TEXT NOT NULL,
  variant TEXT NOT NULL,
  metric TEXT NOT NULL,
  looks INTEGER NOT NULL,
  p_value REAL NOT NULL,
  lower REAL NOT NULL,
  upper REAL NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (env, flag, allocation, control, variant, metric)
) WITHOUT ROWID;
