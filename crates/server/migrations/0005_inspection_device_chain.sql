-- The device that signed each inspection record, its signature, and the record's place in the
-- device's hash chain, for the chain audit. Records stored before this migration keep NULL here.
ALTER TABLE inspections
    ADD COLUMN device_id        uuid,
    ADD COLUMN device_seq       bigint,
    ADD COLUMN previous_sha256  text,
    -- Standard base64 of the device's Ed25519 signature over the record's text.
    ADD COLUMN signature        text;

-- Lists one device's records in sequence order.
CREATE INDEX inspections_device_chain ON inspections (device_id, device_seq, id);
