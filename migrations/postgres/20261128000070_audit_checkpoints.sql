-- Signed checkpoints (docs/evidence-bundle.md §3): the installation's Ed25519 signature over
-- (position, hash, recorded_at, signed_at) of one event, made after the server verified the chain
-- up to it. One checkpoint per position. Rows are only inserted, never updated.

CREATE TABLE audit_checkpoints (
    position     BIGINT PRIMARY KEY,        -- the event's global position (>= 1)
    hash         TEXT NOT NULL,            -- the event's hash, 64 lowercase hex digits
    recorded_at  BIGINT NOT NULL,           -- the event's recorded_at, microseconds since the epoch
    signed_at    BIGINT NOT NULL,           -- when the server signed, microseconds since the epoch
    public_key   TEXT NOT NULL,            -- the signing key, 64 hex digits (Ed25519)
    signature    TEXT NOT NULL             -- the Ed25519 signature, 128 hex digits
);
