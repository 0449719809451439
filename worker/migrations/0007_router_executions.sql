-- What the router (POST /v1/chat/completions) records of each call: the provider, the variant
-- that answered after a fallback, cached / cache-write / reasoning tokens, the finish reason, how
-- the usage was obtained, and whether the call was truncated, answered by a fallback, a shadow
-- copy or streamed (1/0). The attempts keep their own JSON column; `data` stays the metadata.
ALTER TABLE events ADD COLUMN provider TEXT;
ALTER TABLE events ADD COLUMN served_variant TEXT;
ALTER TABLE events ADD COLUMN cached_input_tokens INTEGER;
ALTER TABLE events ADD COLUMN cache_write_tokens INTEGER;
ALTER TABLE events ADD COLUMN reasoning_tokens INTEGER;
ALTER TABLE events ADD COLUMN finish_reason TEXT;
ALTER TABLE events ADD COLUMN usage_source TEXT;
ALTER TABLE events ADD COLUMN truncated INTEGER;
ALTER TABLE events ADD COLUMN fallback INTEGER;
ALTER TABLE events ADD COLUMN shadow INTEGER;
ALTER TABLE events ADD COLUMN stream INTEGER;
ALTER TABLE events ADD COLUMN attempts TEXT;
-- The results read the fallback and truncation rates, cached and reasoning tokens per call, and
-- leave shadow calls out of every arm: the metrics index covers those columns too.
DROP INDEX events_metrics;
CREATE INDEX events_metrics ON events (env, flag, type, subject, rating, success, latency_ms, ttft_ms, input_tokens, output_tokens, cost, error, ts, variant, assignment_id, shadow, fallback, truncated, cached_input_tokens, reasoning_tokens) WHERE type IN ('feedback', 'execution', 'outcome');
