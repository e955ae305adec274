-- The raw baseline: a plain table, no chain, no triggers, one index (the primary key).
CREATE TABLE bench_raw (
    id      BIGSERIAL PRIMARY KEY,
    stream  TEXT   NOT NULL,
    version BIGINT NOT NULL,
    payload TEXT   NOT NULL
);
