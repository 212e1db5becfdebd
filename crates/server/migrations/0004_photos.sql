-- Photos of inspection records, stored once per content under the SHA-256 of their bytes. Each
-- record lists its photos (hash and size) inside its JSON, so no link table is needed.
CREATE TABLE photos (
    sha256     bytea PRIMARY KEY CHECK (octet_length(sha256) = 32),
    bytes      bytea NOT NULL,
    stored_at  timestamptz NOT NULL DEFAULT now()
);
