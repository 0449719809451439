-- Every exposure names the key that signed the config version it was evaluated on (contract 3:
-- the root-signed key set), so a result can say which versions and kids it analysed. Older
-- clients do not send it: NULL.
ALTER TABLE events ADD COLUMN kid TEXT;
