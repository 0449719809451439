-- Every event a client sent, once: the client-made id is the primary key, so a retried batch
-- (the SDK's, or the Queue's redelivery) is ignored by INSERT OR IGNORE. One wide table: the
-- results query reads one flag's exposures and the events of the subjects exposed.
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  env TEXT NOT NULL,
  subject TEXT NOT NULL,
  ts INTEGER NOT NULL,           -- ms, the client's clock
  received_at INTEGER NOT NULL,  -- ms, the Worker's clock
  flag TEXT,
  allocation TEXT,
  variant TEXT,
  version INTEGER,
  assignment_id TEXT,
  rating INTEGER,                -- feedback: 1 up, 0 down
  score REAL,
  reason TEXT,
  comment TEXT,
  model TEXT,
  latency_ms REAL,
  ttft_ms REAL,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cost REAL,
  error TEXT,
  success INTEGER,               -- outcome: 1 success, 0 failure
  name TEXT,                     -- custom
  value REAL,
  data TEXT                      -- JSON: exposure attributes, execution metadata
) WITHOUT ROWID;

-- The results query reads only these indexes (each covers the columns it needs: a lookup into the
-- table by a random UUID per event was most of its time over a million events).
-- Exposures of a flag by allocation and subject (the first one decides the subject's variant).
CREATE INDEX events_exposures ON events (env, flag, type, allocation, subject, ts, variant);
-- The metrics of a flag's feedback, executions and outcomes, by subject.
CREATE INDEX events_metrics ON events (env, flag, type, subject, rating, success, latency_ms, ttft_ms, input_tokens, output_tokens, cost, error, ts);
-- A subject's custom events (tagged with a flag or not).
CREATE INDEX events_subject ON events (env, subject, type, flag, ts, name, value);

-- Always-valid (sequential) results are kept monotone across looks: the smallest p-value and the
-- intersection of the intervals seen so far, per comparison.
CREATE TABLE sequential_looks (
  env TEXT NOT NULL,
  flag TEXT NOT NULL,
  allocation TEXT NOT NULL,
  variant TEXT NOT NULL,
  metric TEXT NOT NULL,
  looks INTEGER NOT NULL,
  p_value REAL NOT NULL,
  lower REAL NOT NULL,
  upper REAL NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (env, flag, allocation, variant, metric)
) WITHOUT ROWID;
