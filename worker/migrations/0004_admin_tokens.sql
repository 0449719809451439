-- Named admin tokens: one per person or system, so the audit log records who made a change
-- instead of trusting a name the request declares. Only a SHA-256 of each token is kept (the
-- token is 256 random bits, shown once at creation); `id` is the token's public part, so a
-- request finds its row by id and compares the hash in constant time. A revoked token keeps its
-- row (who made it, who revoked it, when); a name is unique among tokens not revoked, so a
-- person whose token leaked gets a new one under the same name.
CREATE TABLE admin_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'read')),
  hash TEXT NOT NULL,            -- hex SHA-256 of the whole token
  created_at INTEGER NOT NULL,   -- ms
  created_by TEXT NOT NULL,
  revoked_at INTEGER,            -- ms; NULL while the token works
  revoked_by TEXT
);
CREATE UNIQUE INDEX admin_tokens_active_name ON admin_tokens (name) WHERE revoked_at IS NULL;
