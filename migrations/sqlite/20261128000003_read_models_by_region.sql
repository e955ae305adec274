-- Current rows by region: list_views filters a region prefix as the byte-order range
-- region >= prefix AND region < successor(prefix), which this index serves (with its count).
CREATE INDEX read_models_current_by_region ON read_models (model, region) WHERE valid_to IS NULL;
