-- The outlet cards, the change feed, inspection records and placard records.
-- Identifiers use the "C" collation so that ORDER BY gives the byte order the sled store gives.

-- One row per outlet: the card as JSON plus the columns the queries filter on.
CREATE TABLE cards (
    outlet_id  text COLLATE "C" PRIMARY KEY,
    permit_no  text COLLATE "C" NOT NULL,
    -- The unit's 6-digit administrative division code (characters 3-8 of its USCC).
    region     text COLLATE "C" NOT NULL,
    version    bigint NOT NULL,
    card       jsonb NOT NULL
);
CREATE INDEX cards_permit_no ON cards (permit_no);

-- The last feed position handed out. Writers update this single row in the transaction that
-- writes the feed entry, so the row lock orders their commits (see store/postgres/feed.rs).
CREATE TABLE feed_cursor (
    id    boolean PRIMARY KEY DEFAULT true CHECK (id),
    last  bigint NOT NULL
);
INSERT INTO feed_cursor (id, last) VALUES (true, 0);

-- The change feed: one entry per outlet, its latest change. A newer change moves the outlet to
-- the end of the feed.
CREATE TABLE feed (
    position   bigint PRIMARY KEY,
    outlet_id  text COLLATE "C" NOT NULL UNIQUE,
    region     text COLLATE "C" NOT NULL,
    -- NULL for a card update; else the removal reason: permit_cancelled, permit_revoked, outlet_removed.
    removed    text CHECK (removed IN ('permit_cancelled', 'permit_revoked', 'outlet_removed'))
);

-- Receipt numbers, unique across every server instance on this database.
CREATE SEQUENCE receipt_numbers START 1;

-- Inspection records exactly as received. The primary key is the dedup constraint.
CREATE TABLE inspections (
    id           uuid PRIMARY KEY,
    sha256       text NOT NULL,
    -- The canonical JSON text as the device sent it, byte for byte.
    record       text NOT NULL,
    -- The receipt as given to the device, so a resubmission gets the same one back.
    receipt      jsonb NOT NULL,
    received_at  timestamptz NOT NULL
);

-- Every placard issued for an outlet, as one JSON record per outlet.
CREATE TABLE placards (
    outlet_id  text COLLATE "C" PRIMARY KEY,
    record     jsonb NOT NULL
);
