-- Router keys: the API keys of POST /v1/chat/completions and GET /v1/models, one per app, each
-- scoped to ONE env (the env whose config routes its calls). Stored as admin tokens are (0004):
-- `efr1.<id>.<secret>`, only the SHA-256 of the whole key kept, the row found by id and the hash
-- compared in constant time (worker/src/storage/credentials.ts). A name is unique among live
-- keys (revoke names one key, whatever its env); a revoked key keeps its row (who made it, who revoked it, when).
CREATE TABLE router_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  env TEXT NOT NULL,
  hash TEXT NOT NULL,            -- hex SHA-256 of the whole key
  created_at INTEGER NOT NULL,   -- ms
  created_by TEXT NOT NULL,
  revoked_at INTEGER,            -- ms; NULL while the key works
  revoked_by TEXT
);
CREATE UNIQUE INDEX router_keys_active_name ON router_keys (name) WHERE revoked_at IS NULL;
