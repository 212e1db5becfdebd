-- Officer accounts, their login tokens and the public keys of their devices. Each record is kept
-- as JSON beside the key columns the queries use.

CREATE TABLE accounts (
    badge_no  text COLLATE "C" PRIMARY KEY,
    account   jsonb NOT NULL
);

CREATE TABLE tokens (
    -- SHA-256 of the token's text, lower-case hex; the token itself is never stored.
    token_sha256  text COLLATE "C" PRIMARY KEY,
    badge_no      text COLLATE "C" NOT NULL,
    token         jsonb NOT NULL
);
CREATE INDEX tokens_badge_no ON tokens (badge_no);

CREATE TABLE device_keys (
    badge_no   text COLLATE "C" NOT NULL,
    device_id  uuid NOT NULL,
    key        jsonb NOT NULL,
    PRIMARY KEY (badge_no, device_id)
);
