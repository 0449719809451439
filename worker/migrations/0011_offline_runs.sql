-- Offline experiment results posted by `edgeflag experiment run --post` (POST
-- /v1/admin/offline/:env/:flag), kept beside the online results of the same flag for the
-- dashboard. `body` is the posted results JSON (edgeflag-offline-results/1, without the per-cell
-- detail); the columns repeat the few fields a list needs without parsing it.
CREATE TABLE offline_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  env TEXT NOT NULL,
  flag TEXT NOT NULL,
  created_at INTEGER NOT NULL,   -- ms, when the Worker stored it
  created_by TEXT NOT NULL,      -- the posting token's name
  control TEXT NOT NULL,
  variants TEXT NOT NULL,        -- JSON array of variant keys
  records INTEGER NOT NULL,
  runs INTEGER NOT NULL,
  gate_pass INTEGER,             -- 1 passed, 0 failed, NULL without a gate
  body TEXT NOT NULL
);
CREATE INDEX offline_runs_by_flag ON offline_runs (env, flag, id DESC);
