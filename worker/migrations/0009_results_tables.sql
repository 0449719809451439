-- The results tables (analysis/src/result-tables.ts, which says what each holds): per-subject
-- aggregates, per-variant latency/TTFT log-histograms, daily cost and exposures per config
-- version, kept up to date by triggers on events as batches are stored, so the results query
-- reads subjects, not events. Generated from resultTablesDdl() and backfillSql();
-- worker/test/event-table.test.ts checks the tables and triggers D1 holds are the derived ones.
CREATE TABLE subject_results (env TEXT NOT NULL, flag TEXT NOT NULL, allocation TEXT NOT NULL, subject TEXT NOT NULL, variant TEXT NOT NULL, first_ts INTEGER NOT NULL, feedbacks REAL NOT NULL DEFAULT 0, thumbs REAL NOT NULL DEFAULT 0, ups REAL NOT NULL DEFAULT 0, outcomes REAL NOT NULL DEFAULT 0, successes REAL NOT NULL DEFAULT 0, calls REAL NOT NULL DEFAULT 0, errs REAL NOT NULL DEFAULT 0, lat REAL NOT NULL DEFAULT 0, lat_n REAL NOT NULL DEFAULT 0, ttft REAL NOT NULL DEFAULT 0, ttft_n REAL NOT NULL DEFAULT 0, in_tok REAL NOT NULL DEFAULT 0, in_n REAL NOT NULL DEFAULT 0, out_tok REAL NOT NULL DEFAULT 0, out_n REAL NOT NULL DEFAULT 0, cost REAL NOT NULL DEFAULT 0, cost_n REAL NOT NULL DEFAULT 0, cached_tok REAL NOT NULL DEFAULT 0, cached_n REAL NOT NULL DEFAULT 0, reasoning_tok REAL NOT NULL DEFAULT 0, reasoning_n REAL NOT NULL DEFAULT 0, fallbacks REAL NOT NULL DEFAULT 0, truncations REAL NOT NULL DEFAULT 0, PRIMARY KEY (env, flag, subject, allocation)) WITHOUT ROWID;
CREATE INDEX subject_results_by_subject ON subject_results (env, subject);
CREATE TABLE subject_custom (env TEXT NOT NULL, flag TEXT NOT NULL, allocation TEXT NOT NULL, subject TEXT NOT NULL, name TEXT NOT NULL, variant TEXT NOT NULL, events INTEGER NOT NULL, total REAL NOT NULL, PRIMARY KEY (env, flag, allocation, subject, name)) WITHOUT ROWID;
CREATE TABLE call_histogram (env TEXT NOT NULL, flag TEXT NOT NULL, allocation TEXT NOT NULL, variant TEXT NOT NULL, measure TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (env, flag, allocation, variant, measure, bucket)) WITHOUT ROWID;
CREATE TABLE daily_cost (env TEXT NOT NULL, flag TEXT NOT NULL, allocation TEXT NOT NULL, variant TEXT NOT NULL, day INTEGER NOT NULL, calls INTEGER NOT NULL, cost REAL NOT NULL, PRIMARY KEY (env, flag, allocation, variant, day)) WITHOUT ROWID;
CREATE TABLE exposure_configs (env TEXT NOT NULL, flag TEXT NOT NULL, allocation TEXT NOT NULL, version INTEGER NOT NULL, kid TEXT NOT NULL, exposures INTEGER NOT NULL, PRIMARY KEY (env, flag, allocation, version, kid)) WITHOUT ROWID;
CREATE TRIGGER events_fold_metric AFTER INSERT ON events
WHEN NEW.type IN ('feedback', 'execution', 'outcome') AND NEW.flag IS NOT NULL AND NEW.shadow IS NOT 1
BEGIN
  UPDATE subject_results SET feedbacks = feedbacks + (NEW.type = 'feedback'), thumbs = thumbs + (NEW.rating IS NOT NULL), ups = ups + IFNULL(NEW.rating, 0), outcomes = outcomes + (NEW.success IS NOT NULL), successes = successes + IFNULL(NEW.success, 0), calls = calls + (NEW.type = 'execution'), errs = errs + (NEW.error IS NOT NULL), lat = lat + IFNULL(NEW.latency_ms, 0), lat_n = lat_n + (NEW.latency_ms IS NOT NULL), ttft = ttft + IFNULL(NEW.ttft_ms, 0), ttft_n = ttft_n + (NEW.ttft_ms IS NOT NULL), in_tok = in_tok + IFNULL(NEW.input_tokens, 0), in_n = in_n + (NEW.input_tokens IS NOT NULL), out_tok = out_tok + IFNULL(NEW.output_tokens, 0), out_n = out_n + (NEW.output_tokens IS NOT NULL), cost = cost + IFNULL(NEW.cost, 0), cost_n = cost_n + (NEW.cost IS NOT NULL), cached_tok = cached_tok + IFNULL(NEW.cached_input_tokens, 0), cached_n = cached_n + (NEW.cached_input_tokens IS NOT NULL), reasoning_tok = reasoning_tok + IFNULL(NEW.reasoning_tokens, 0), reasoning_n = reasoning_n + (NEW.reasoning_tokens IS NOT NULL), fallbacks = fallbacks + IFNULL(NEW.fallback, 0), truncations = truncations + IFNULL(NEW.truncated, 0)
    WHERE subject_results.env = NEW.env AND subject_results.flag = NEW.flag AND subject_results.subject = NEW.subject AND subject_results.first_ts <= NEW.ts AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = subject_results.env AND a.flag = subject_results.flag AND a.type = 'exposure' AND a.allocation = subject_results.allocation AND a.subject = subject_results.subject
        AND a.assignment_id = NEW.assignment_id AND (NEW.variant IS NULL OR a.variant = NEW.variant));
  INSERT INTO call_histogram (env, flag, allocation, variant, measure, bucket, n)
    SELECT x.env, x.flag, x.allocation, x.variant, 'latency', CASE WHEN NEW.latency_ms > 0 THEN (40000 + CAST(ceil(ln(NEW.latency_ms) / 0.01980262729617973) AS INTEGER)) WHEN NEW.latency_ms < 0 THEN -(40000 + CAST(ceil(ln(-(NEW.latency_ms)) / 0.01980262729617973) AS INTEGER)) ELSE 0 END, 1 FROM subject_results x
    WHERE NEW.type = 'execution' AND NEW.latency_ms IS NOT NULL AND x.env = NEW.env AND x.flag = NEW.flag AND x.subject = NEW.subject AND x.first_ts <= NEW.ts AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = NEW.assignment_id AND (NEW.variant IS NULL OR a.variant = NEW.variant)) ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO call_histogram (env, flag, allocation, variant, measure, bucket, n)
    SELECT x.env, x.flag, x.allocation, x.variant, 'ttft', CASE WHEN NEW.ttft_ms > 0 THEN (40000 + CAST(ceil(ln(NEW.ttft_ms) / 0.01980262729617973) AS INTEGER)) WHEN NEW.ttft_ms < 0 THEN -(40000 + CAST(ceil(ln(-(NEW.ttft_ms)) / 0.01980262729617973) AS INTEGER)) ELSE 0 END, 1 FROM subject_results x
    WHERE NEW.type = 'execution' AND NEW.ttft_ms IS NOT NULL AND x.env = NEW.env AND x.flag = NEW.flag AND x.subject = NEW.subject AND x.first_ts <= NEW.ts AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = NEW.assignment_id AND (NEW.variant IS NULL OR a.variant = NEW.variant)) ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO daily_cost (env, flag, allocation, variant, day, calls, cost)
    SELECT x.env, x.flag, x.allocation, x.variant, CAST(NEW.ts / 86400000 AS INTEGER), 1, NEW.cost FROM subject_results x
    WHERE NEW.type = 'execution' AND NEW.cost IS NOT NULL AND x.env = NEW.env AND x.flag = NEW.flag AND x.subject = NEW.subject AND x.first_ts <= NEW.ts AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = NEW.assignment_id AND (NEW.variant IS NULL OR a.variant = NEW.variant)) ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, cost = cost + excluded.cost;
END;
CREATE TRIGGER events_fold_custom AFTER INSERT ON events
WHEN NEW.type = 'custom' AND NEW.name IS NOT NULL
BEGIN
  INSERT INTO subject_custom (env, flag, allocation, subject, name, variant, events, total)
    SELECT x.env, x.flag, x.allocation, x.subject, NEW.name, x.variant, 1, IFNULL(NEW.value, 0) FROM subject_results x WHERE NEW.flag IS NOT NULL AND x.env = NEW.env AND x.flag = NEW.flag AND x.subject = NEW.subject AND x.first_ts <= NEW.ts
    ON CONFLICT DO UPDATE SET events = events + 1, total = total + excluded.total;
  INSERT INTO subject_custom (env, flag, allocation, subject, name, variant, events, total)
    SELECT x.env, x.flag, x.allocation, x.subject, NEW.name, x.variant, 1, IFNULL(NEW.value, 0) FROM subject_results x INDEXED BY subject_results_by_subject WHERE NEW.flag IS NULL AND x.env = NEW.env AND x.subject = NEW.subject AND x.first_ts <= NEW.ts
    ON CONFLICT DO UPDATE SET events = events + 1, total = total + excluded.total;
END;
CREATE TRIGGER events_fold_exposure_config AFTER INSERT ON events
WHEN NEW.type = 'exposure' AND NEW.flag IS NOT NULL AND NEW.allocation IS NOT NULL AND NEW.variant IS NOT NULL AND NEW.version IS NOT NULL
BEGIN
  INSERT INTO exposure_configs (env, flag, allocation, version, kid, exposures) VALUES (NEW.env, NEW.flag, NEW.allocation, NEW.version, IFNULL(NEW.kid, ''), 1)
    ON CONFLICT DO UPDATE SET exposures = exposures + 1;
END;
CREATE TRIGGER events_fold_exposure AFTER INSERT ON events
WHEN NEW.type = 'exposure' AND NEW.flag IS NOT NULL AND NEW.allocation IS NOT NULL AND NEW.variant IS NOT NULL AND (NOT EXISTS (SELECT 1 FROM subject_results x WHERE x.env = NEW.env AND x.flag = NEW.flag AND x.allocation = NEW.allocation AND x.subject = NEW.subject AND x.first_ts <= NEW.ts) OR (NEW.assignment_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events a WHERE a.env = NEW.env AND a.flag = NEW.flag AND a.type = 'exposure' AND a.allocation = NEW.allocation AND a.subject = NEW.subject
    AND a.assignment_id = NEW.assignment_id AND a.variant = NEW.variant AND a.rowid <> NEW.rowid)))
BEGIN
  INSERT INTO call_histogram (env, flag, allocation, variant, measure, bucket, n)
  SELECT x.env, x.flag, x.allocation, x.variant, 'latency', CASE WHEN e.latency_ms > 0 THEN (40000 + CAST(ceil(ln(e.latency_ms) / 0.01980262729617973) AS INTEGER)) WHEN e.latency_ms < 0 THEN -(40000 + CAST(ceil(ln(-(e.latency_ms)) / 0.01980262729617973) AS INTEGER)) ELSE 0 END AS bucket, -1 * COUNT(*) FROM subject_results x CROSS JOIN events e ON e.env = x.env AND e.flag = x.flag AND e.type IN ('feedback', 'execution', 'outcome') AND e.subject = x.subject AND e.type = 'execution'
    AND e.ts >= x.first_ts AND e.shadow IS NOT 1 AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = e.assignment_id AND (e.variant IS NULL OR a.variant = e.variant) AND a.rowid <> NEW.rowid)
  WHERE x.env = NEW.env AND x.flag = NEW.flag AND x.allocation = NEW.allocation AND x.subject = NEW.subject AND e.latency_ms IS NOT NULL
  GROUP BY x.env, x.flag, x.allocation, x.variant, bucket ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO call_histogram (env, flag, allocation, variant, measure, bucket, n)
  SELECT x.env, x.flag, x.allocation, x.variant, 'ttft', CASE WHEN e.ttft_ms > 0 THEN (40000 + CAST(ceil(ln(e.ttft_ms) / 0.01980262729617973) AS INTEGER)) WHEN e.ttft_ms < 0 THEN -(40000 + CAST(ceil(ln(-(e.ttft_ms)) / 0.01980262729617973) AS INTEGER)) ELSE 0 END AS bucket, -1 * COUNT(*) FROM subject_results x CROSS JOIN events e ON e.env = x.env AND e.flag = x.flag AND e.type IN ('feedback', 'execution', 'outcome') AND e.subject = x.subject AND e.type = 'execution'
    AND e.ts >= x.first_ts AND e.shadow IS NOT 1 AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = e.assignment_id AND (e.variant IS NULL OR a.variant = e.variant) AND a.rowid <> NEW.rowid)
  WHERE x.env = NEW.env AND x.flag = NEW.flag AND x.allocation = NEW.allocation AND x.subject = NEW.subject AND e.ttft_ms IS NOT NULL
  GROUP BY x.env, x.flag, x.allocation, x.variant, bucket ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO daily_cost (env, flag, allocation, variant, day, calls, cost)
  SELECT x.env, x.flag, x.allocation, x.variant, CAST(e.ts / 86400000 AS INTEGER) AS day, -1 * COUNT(*), -1 * TOTAL(e.cost) FROM subject_results x CROSS JOIN events e ON e.env = x.env AND e.flag = x.flag AND e.type IN ('feedback', 'execution', 'outcome') AND e.subject = x.subject AND e.type = 'execution'
    AND e.ts >= x.first_ts AND e.shadow IS NOT 1 AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = e.assignment_id AND (e.variant IS NULL OR a.variant = e.variant) AND a.rowid <> NEW.rowid)
  WHERE x.env = NEW.env AND x.flag = NEW.flag AND x.allocation = NEW.allocation AND x.subject = NEW.subject AND e.cost IS NOT NULL
  GROUP BY x.env, x.flag, x.allocation, x.variant, day ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, cost = cost + excluded.cost;
  DELETE FROM call_histogram WHERE env = NEW.env AND flag = NEW.flag AND allocation = NEW.allocation AND variant = (SELECT x.variant FROM subject_results x WHERE x.env = NEW.env AND x.flag = NEW.flag AND x.allocation = NEW.allocation AND x.subject = NEW.subject) AND n = 0;
  DELETE FROM daily_cost WHERE env = NEW.env AND flag = NEW.flag AND allocation = NEW.allocation AND variant = (SELECT x.variant FROM subject_results x WHERE x.env = NEW.env AND x.flag = NEW.flag AND x.allocation = NEW.allocation AND x.subject = NEW.subject) AND calls = 0;
  DELETE FROM subject_custom WHERE env = NEW.env AND flag = NEW.flag AND allocation = NEW.allocation AND subject = NEW.subject;
  DELETE FROM subject_results WHERE env = NEW.env AND flag = NEW.flag AND allocation = NEW.allocation AND subject = NEW.subject;
  INSERT INTO subject_results (env, flag, allocation, subject, variant, first_ts, feedbacks, thumbs, ups, outcomes, successes, calls, errs, lat, lat_n, ttft, ttft_n, in_tok, in_n, out_tok, out_n, cost, cost_n, cached_tok, cached_n, reasoning_tok, reasoning_n, fallbacks, truncations)
  SELECT x.env, x.flag, x.allocation, x.subject, x.variant, x.first_ts, TOTAL((e.type = 'feedback')), TOTAL((e.rating IS NOT NULL)), TOTAL(IFNULL(e.rating, 0)), TOTAL((e.success IS NOT NULL)), TOTAL(IFNULL(e.success, 0)), TOTAL((e.type = 'execution')), TOTAL((e.error IS NOT NULL)), TOTAL(IFNULL(e.latency_ms, 0)), TOTAL((e.latency_ms IS NOT NULL)), TOTAL(IFNULL(e.ttft_ms, 0)), TOTAL((e.ttft_ms IS NOT NULL)), TOTAL(IFNULL(e.input_tokens, 0)), TOTAL((e.input_tokens IS NOT NULL)), TOTAL(IFNULL(e.output_tokens, 0)), TOTAL((e.output_tokens IS NOT NULL)), TOTAL(IFNULL(e.cost, 0)), TOTAL((e.cost IS NOT NULL)), TOTAL(IFNULL(e.cached_input_tokens, 0)), TOTAL((e.cached_input_tokens IS NOT NULL)), TOTAL(IFNULL(e.reasoning_tokens, 0)), TOTAL((e.reasoning_tokens IS NOT NULL)), TOTAL(IFNULL(e.fallback, 0)), TOTAL(IFNULL(e.truncated, 0))
  FROM (SELECT env, flag, allocation, subject, variant, MIN(ts) AS first_ts FROM events
    WHERE env = NEW.env AND flag = NEW.flag AND allocation = NEW.allocation AND subject = NEW.subject AND type = 'exposure' AND flag IS NOT NULL AND allocation IS NOT NULL AND variant IS NOT NULL GROUP BY env, flag, allocation, subject) x
  LEFT JOIN events e ON e.type IN ('feedback', 'execution', 'outcome') AND e.shadow IS NOT 1 AND e.env = x.env AND e.flag = x.flag AND e.subject = x.subject AND e.ts >= x.first_ts AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = e.assignment_id AND (e.variant IS NULL OR a.variant = e.variant))
  GROUP BY x.env, x.flag, x.allocation, x.subject;
  INSERT INTO call_histogram (env, flag, allocation, variant, measure, bucket, n)
  SELECT x.env, x.flag, x.allocation, x.variant, 'latency', CASE WHEN e.latency_ms > 0 THEN (40000 + CAST(ceil(ln(e.latency_ms) / 0.01980262729617973) AS INTEGER)) WHEN e.latency_ms < 0 THEN -(40000 + CAST(ceil(ln(-(e.latency_ms)) / 0.01980262729617973) AS INTEGER)) ELSE 0 END AS bucket, 1 * COUNT(*) FROM subject_results x CROSS JOIN events e ON e.env = x.env AND e.flag = x.flag AND e.type IN ('feedback', 'execution', 'outcome') AND e.subject = x.subject AND e.type = 'execution'
    AND e.ts >= x.first_ts AND e.shadow IS NOT 1 AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = e.assignment_id AND (e.variant IS NULL OR a.variant = e.variant))
  WHERE x.env = NEW.env AND x.flag = NEW.flag AND x.allocation = NEW.allocation AND x.subject = NEW.subject AND e.latency_ms IS NOT NULL
  GROUP BY x.env, x.flag, x.allocation, x.variant, bucket ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO call_histogram (env, flag, allocation, variant, measure, bucket, n)
  SELECT x.env, x.flag, x.allocation, x.variant, 'ttft', CASE WHEN e.ttft_ms > 0 THEN (40000 + CAST(ceil(ln(e.ttft_ms) / 0.01980262729617973) AS INTEGER)) WHEN e.ttft_ms < 0 THEN -(40000 + CAST(ceil(ln(-(e.ttft_ms)) / 0.01980262729617973) AS INTEGER)) ELSE 0 END AS bucket, 1 * COUNT(*) FROM subject_results x CROSS JOIN events e ON e.env = x.env AND e.flag = x.flag AND e.type IN ('feedback', 'execution', 'outcome') AND e.subject = x.subject AND e.type = 'execution'
    AND e.ts >= x.first_ts AND e.shadow IS NOT 1 AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = e.assignment_id AND (e.variant IS NULL OR a.variant = e.variant))
  WHERE x.env = NEW.env AND x.flag = NEW.flag AND x.allocation = NEW.allocation AND x.subject = NEW.subject AND e.ttft_ms IS NOT NULL
  GROUP BY x.env, x.flag, x.allocation, x.variant, bucket ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO daily_cost (env, flag, allocation, variant, day, calls, cost)
  SELECT x.env, x.flag, x.allocation, x.variant, CAST(e.ts / 86400000 AS INTEGER) AS day, 1 * COUNT(*), 1 * TOTAL(e.cost) FROM subject_results x CROSS JOIN events e ON e.env = x.env AND e.flag = x.flag AND e.type IN ('feedback', 'execution', 'outcome') AND e.subject = x.subject AND e.type = 'execution'
    AND e.ts >= x.first_ts AND e.shadow IS NOT 1 AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = e.assignment_id AND (e.variant IS NULL OR a.variant = e.variant))
  WHERE x.env = NEW.env AND x.flag = NEW.flag AND x.allocation = NEW.allocation AND x.subject = NEW.subject AND e.cost IS NOT NULL
  GROUP BY x.env, x.flag, x.allocation, x.variant, day ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, cost = cost + excluded.cost;
  INSERT INTO subject_custom (env, flag, allocation, subject, name, variant, events, total)
  SELECT x.env, x.flag, x.allocation, x.subject, e.name, x.variant, COUNT(*), TOTAL(e.value)
  FROM subject_results x CROSS JOIN events e ON e.env = x.env AND e.subject = x.subject AND e.type = 'custom'
    AND (e.flag = x.flag OR e.flag IS NULL) AND e.ts >= x.first_ts AND e.name IS NOT NULL
  WHERE x.env = NEW.env AND x.flag = NEW.flag AND x.allocation = NEW.allocation AND x.subject = NEW.subject GROUP BY x.env, x.flag, x.allocation, x.subject, e.name;
END;
-- Fill them from the events stored so far (the triggers fold every event stored from now on).
INSERT INTO subject_results (env, flag, allocation, subject, variant, first_ts, feedbacks, thumbs, ups, outcomes, successes, calls, errs, lat, lat_n, ttft, ttft_n, in_tok, in_n, out_tok, out_n, cost, cost_n, cached_tok, cached_n, reasoning_tok, reasoning_n, fallbacks, truncations)
  SELECT x.env, x.flag, x.allocation, x.subject, x.variant, x.first_ts, TOTAL((e.type = 'feedback')), TOTAL((e.rating IS NOT NULL)), TOTAL(IFNULL(e.rating, 0)), TOTAL((e.success IS NOT NULL)), TOTAL(IFNULL(e.success, 0)), TOTAL((e.type = 'execution')), TOTAL((e.error IS NOT NULL)), TOTAL(IFNULL(e.latency_ms, 0)), TOTAL((e.latency_ms IS NOT NULL)), TOTAL(IFNULL(e.ttft_ms, 0)), TOTAL((e.ttft_ms IS NOT NULL)), TOTAL(IFNULL(e.input_tokens, 0)), TOTAL((e.input_tokens IS NOT NULL)), TOTAL(IFNULL(e.output_tokens, 0)), TOTAL((e.output_tokens IS NOT NULL)), TOTAL(IFNULL(e.cost, 0)), TOTAL((e.cost IS NOT NULL)), TOTAL(IFNULL(e.cached_input_tokens, 0)), TOTAL((e.cached_input_tokens IS NOT NULL)), TOTAL(IFNULL(e.reasoning_tokens, 0)), TOTAL((e.reasoning_tokens IS NOT NULL)), TOTAL(IFNULL(e.fallback, 0)), TOTAL(IFNULL(e.truncated, 0))
  FROM (SELECT env, flag, allocation, subject, variant, MIN(ts) AS first_ts FROM events
    WHERE 1 AND type = 'exposure' AND flag IS NOT NULL AND allocation IS NOT NULL AND variant IS NOT NULL GROUP BY env, flag, allocation, subject) x
  LEFT JOIN events e ON e.type IN ('feedback', 'execution', 'outcome') AND e.shadow IS NOT 1 AND e.env = x.env AND e.flag = x.flag AND e.subject = x.subject AND e.ts >= x.first_ts AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = e.assignment_id AND (e.variant IS NULL OR a.variant = e.variant))
  GROUP BY x.env, x.flag, x.allocation, x.subject;
INSERT INTO subject_custom (env, flag, allocation, subject, name, variant, events, total)
  SELECT x.env, x.flag, x.allocation, x.subject, e.name, x.variant, COUNT(*), TOTAL(e.value)
  FROM subject_results x CROSS JOIN events e ON e.env = x.env AND e.subject = x.subject AND e.type = 'custom'
    AND (e.flag = x.flag OR e.flag IS NULL) AND e.ts >= x.first_ts AND e.name IS NOT NULL
  WHERE 1 GROUP BY x.env, x.flag, x.allocation, x.subject, e.name;
INSERT INTO call_histogram (env, flag, allocation, variant, measure, bucket, n)
  SELECT x.env, x.flag, x.allocation, x.variant, 'latency', CASE WHEN e.latency_ms > 0 THEN (40000 + CAST(ceil(ln(e.latency_ms) / 0.01980262729617973) AS INTEGER)) WHEN e.latency_ms < 0 THEN -(40000 + CAST(ceil(ln(-(e.latency_ms)) / 0.01980262729617973) AS INTEGER)) ELSE 0 END AS bucket, 1 * COUNT(*) FROM subject_results x CROSS JOIN events e ON e.env = x.env AND e.flag = x.flag AND e.type IN ('feedback', 'execution', 'outcome') AND e.subject = x.subject AND e.type = 'execution'
    AND e.ts >= x.first_ts AND e.shadow IS NOT 1 AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = e.assignment_id AND (e.variant IS NULL OR a.variant = e.variant))
  WHERE 1 AND e.latency_ms IS NOT NULL
  GROUP BY x.env, x.flag, x.allocation, x.variant, bucket ON CONFLICT DO UPDATE SET n = n + excluded.n;
INSERT INTO call_histogram (env, flag, allocation, variant, measure, bucket, n)
  SELECT x.env, x.flag, x.allocation, x.variant, 'ttft', CASE WHEN e.ttft_ms > 0 THEN (40000 + CAST(ceil(ln(e.ttft_ms) / 0.01980262729617973) AS INTEGER)) WHEN e.ttft_ms < 0 THEN -(40000 + CAST(ceil(ln(-(e.ttft_ms)) / 0.01980262729617973) AS INTEGER)) ELSE 0 END AS bucket, 1 * COUNT(*) FROM subject_results x CROSS JOIN events e ON e.env = x.env AND e.flag = x.flag AND e.type IN ('feedback', 'execution', 'outcome') AND e.subject = x.subject AND e.type = 'execution'
    AND e.ts >= x.first_ts AND e.shadow IS NOT 1 AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = e.assignment_id AND (e.variant IS NULL OR a.variant = e.variant))
  WHERE 1 AND e.ttft_ms IS NOT NULL
  GROUP BY x.env, x.flag, x.allocation, x.variant, bucket ON CONFLICT DO UPDATE SET n = n + excluded.n;
INSERT INTO daily_cost (env, flag, allocation, variant, day, calls, cost)
  SELECT x.env, x.flag, x.allocation, x.variant, CAST(e.ts / 86400000 AS INTEGER) AS day, 1 * COUNT(*), 1 * TOTAL(e.cost) FROM subject_results x CROSS JOIN events e ON e.env = x.env AND e.flag = x.flag AND e.type IN ('feedback', 'execution', 'outcome') AND e.subject = x.subject AND e.type = 'execution'
    AND e.ts >= x.first_ts AND e.shadow IS NOT 1 AND EXISTS (SELECT 1 FROM events a
      WHERE a.env = x.env AND a.flag = x.flag AND a.type = 'exposure' AND a.allocation = x.allocation AND a.subject = x.subject
        AND a.assignment_id = e.assignment_id AND (e.variant IS NULL OR a.variant = e.variant))
  WHERE 1 AND e.cost IS NOT NULL
  GROUP BY x.env, x.flag, x.allocation, x.variant, day ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, cost = cost + excluded.cost;
INSERT INTO exposure_configs (env, flag, allocation, version, kid, exposures)
  SELECT env, flag, allocation, version, IFNULL(kid, ''), COUNT(*) FROM events WHERE type = 'exposure' AND flag IS NOT NULL AND allocation IS NOT NULL AND variant IS NOT NULL AND version IS NOT NULL
  GROUP BY env, flag, allocation, version, IFNULL(kid, '');
