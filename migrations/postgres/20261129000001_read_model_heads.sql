-- Covering indexes for listing rows without their documents (`EventStore::view_heads`, used by
-- the reports through `EventStore::decoded_views`): key, valid_from, version and region are read
-- from the index alone, never from the table rows that carry the (large) documents.
-- Current rows of a model, by key:
CREATE INDEX read_models_current_heads
    ON read_models (model, key, valid_from, version, region) WHERE valid_to IS NULL;
-- Rows of a model valid at a past position (valid_from <= p < valid_to):
CREATE INDEX read_models_heads_as_of
    ON read_models (model, valid_from, valid_to, key, version, region);
