-- Fewer pages a commit (docs/benchmarks.md, "Fewer indexes on the log"): every event row updated
-- the table and five indexes. `recorded_at` is non-decreasing with `position` (the writer never
-- gives a later position an earlier time), so the position of a moment is found by bisecting
-- positions through the primary key (`StorageEngine::position_at`), without an index of its own.
DROP INDEX events_by_recorded_at;
