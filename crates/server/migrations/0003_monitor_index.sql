-- Finds the card that lists an online monitor's HJ 212 device id (MN) for each incoming packet:
-- a query with card->'monitors' @> '[{"mn": "..."}]' uses this index, which every card write keeps
-- current.
CREATE INDEX cards_monitors ON cards USING gin ((card -> 'monitors') jsonb_path_ops);
