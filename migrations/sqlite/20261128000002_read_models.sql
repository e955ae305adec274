-- Read models ("inline projections"): rows the caller computes from events and the store writes in
-- the same transaction as those events. System-versioned like SQL:2011 tables: a row is current for
-- the global positions valid_from <= p < valid_to (valid_to NULL: still current). Rows change only
-- in valid_to (when superseded) and are deleted only by a rebuild. See docs/read-models.md.
CREATE TABLE read_models (
    model      TEXT    NOT NULL,               -- e.g. enterprise, project, ledger
    key        TEXT    NOT NULL,               -- e.g. the stream name
    version    INTEGER NOT NULL,               -- the stream version the row reflects
    valid_from INTEGER NOT NULL,               -- position of the event that made the row current
    valid_to   INTEGER,                        -- position of the event that superseded it (exclusive)
    region     TEXT    NOT NULL,               -- filter columns ('' when not applicable)
    kind       TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    task       TEXT,
    tags       TEXT    NOT NULL,               -- space-separated tokens (e.g. routes)
    search     TEXT    NOT NULL,               -- lower-cased free text (name, USCC, ...)
    sort_name  TEXT    NOT NULL,
    doc        TEXT    NOT NULL,               -- JSON
    PRIMARY KEY (model, key, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
-- At most one current row per (model, key); also the index that closes it and lists current rows.
CREATE UNIQUE INDEX read_models_current ON read_models (model, key) WHERE valid_to IS NULL;
CREATE INDEX read_models_current_by_name ON read_models (model, sort_name, key) WHERE valid_to IS NULL;
-- As-of lists: rows still valid after a position, and rows valid from before it.
CREATE INDEX read_models_valid_to ON read_models (model, valid_to);
CREATE INDEX read_models_valid_from ON read_models (model, valid_from);
