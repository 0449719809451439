-- Results count a feedback, execution or outcome only when its assignment_id (and variant, when it
-- names one) is that of a stored exposure of the subject in the experiment's allocation. Both
-- results indexes cover the columns of that check (assignment_id right after subject in the
-- exposures index: one seek per event), so the query still reads only them.
DROP INDEX events_exposures;
CREATE INDEX events_exposures ON events (env, flag, type, allocation, subject, assignment_id, ts, variant) WHERE type = 'exposure';
DROP INDEX events_metrics;
CREATE INDEX events_metrics ON events (env, flag, type, subject, rating, success, latency_ms, ttft_ms, input_tokens, output_tokens, cost, error, ts, variant, assignment_id) WHERE type IN ('feedback', 'execution', 'outcome');
